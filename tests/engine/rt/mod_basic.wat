;; Hand-translated in mod_basic.c (as the translator would). Function indices:
;; 0 env.add (import), 1 load, 2 store, 3 grow, 4 call_add, 5 start, 6 size
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "g" (global $g i32))
  (memory (export "mem") 1 3)
  (global $counter (export "counter") (mut i32) (global.get $g))
  (global $k (export "k") i64 (i64.const -5))
  (data (i32.const 16) "hello")
  (data $passive "passive")
  (func $load (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func $store (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func $grow (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func $call_add (export "call_add") (param i32 i32) (result i32)
    (call $add (local.get 0) (local.get 1)))
  (func $start (global.set $counter (i32.add (global.get $counter) (i32.const 1))))
  (func $size (export "size") (result i32) (memory.size))
  (start $start)
)
