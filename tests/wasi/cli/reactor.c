/* reactor.c — built as a WASI reactor (no _start): `granny run` refuses it with a message. */
int add(int a, int b) {
    return a + b;
}
