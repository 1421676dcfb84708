;; Hand-translated in mod_trap.c. Function indices:
;; 0 env.callback (import), 1 load_far, 2 load, 3 boom, 4 rec, 5 big, 6 via_host, 7 store
(module
  (import "env" "callback" (func $callback (param i32) (result i32)))
  (memory (export "mem") 1)
  (func $load_far (export "load_far") (param i32) (result i32)
    (i32.load offset=0xFFFFFFFF (local.get 0)))
  (func $load (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func $boom (export "boom") unreachable)
  (func $rec (export "rec") (param i32) (result i32)
    (i32.add (call $rec (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  ;; big frames: (the C version has a 200 KB local array per call)
  (func $big (export "big") (param i32) (result i32)
    (i32.add (call $big (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func $via_host (export "via_host") (param i32) (result i32) (call $callback (local.get 0)))
  (func $store (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
)
