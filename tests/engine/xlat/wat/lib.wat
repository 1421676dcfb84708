;; The exporter for imports.wat.
(module
  (type $ii_i (func (param i32 i32) (result i32)))
  (import "host" "add" (func $host_add (param i32 i32) (result i32)))
  (global (export "g") (mut i32) (i32.const 41))
  (table (export "tab") 2 funcref)
  (elem (i32.const 0) $mul $host_add)
  (func $mul (export "mul") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
)
