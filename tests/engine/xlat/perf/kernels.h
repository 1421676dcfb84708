/* Shared by the perf kernels: built natively (gcc -O2) and to wasm (clang-19 --target=wasm32-wasi).
 * Each kernel defines `double run(void)`, exported as "run" from the wasm module, returning a
 * checksum so nothing is optimised away. */
#ifdef __wasm__
#define KERNEL __attribute__((export_name("run"))) double run(void)
#else
#define KERNEL double run(void)
#endif
