/* trap_unreachable.c — __builtin_trap() is the wasm `unreachable` instruction. */
__attribute__((noinline)) void give_up(void) {
    __builtin_trap();
}

int main(void) {
    give_up();
    return 0;
}
