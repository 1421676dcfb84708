/* import_missing.c — calls a host function nobody provides: instantiation fails, naming it. */
void granny_test_not_provided(int);

int main(void) {
    granny_test_not_provided(1);
    return 0;
}
