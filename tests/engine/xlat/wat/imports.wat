;; Imports: a host function (generic entry), a function of another wasm module (typed entry),
;; a global, a table shared with the exporter, and a call_indirect through it.
(module
  (type $ii_i (func (param i32 i32) (result i32)))
  (import "host" "add" (func $host_add (param i32 i32) (result i32)))
  (import "host" "pair" (func $host_pair (param i64) (result i64 f64)))
  (import "lib" "mul" (func $lib_mul (param i32 i32) (result i32)))
  (import "lib" "g" (global $g (mut i32)))
  (import "lib" "tab" (table $tab 2 funcref))
  (func (export "add") (param i32 i32) (result i32) (call $host_add (local.get 0) (local.get 1)))
  (func (export "pair_sum") (param i64) (result f64) (local f64)
    (call $host_pair (local.get 0)) (local.set 1) (f64.convert_i64_s) (local.get 1) (f64.add))
  (func (export "mul") (param i32 i32) (result i32) (call $lib_mul (local.get 0) (local.get 1)))
  (func (export "bump") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g))
  (func (export "indirect") (param i32 i32 i32) (result i32)
    (call_indirect $tab (type $ii_i) (local.get 1) (local.get 2) (local.get 0)))
)
