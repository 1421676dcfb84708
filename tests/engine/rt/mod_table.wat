;; Hand-translated in mod_table.c. Function indices:
;; 0 env.h (import), 1 f, 2 g, 3 call, 4 init, 5 drop, 6 grow, 7 init_e
;; Type 0 is $ii. Tables: 0 env.tab (import), 1 $t. Element segments: 0 active, 1 passive,
;; 2 declarative, 3 active into the imported table, 4 passive with expressions.
(module
  (type $ii (func (param i32) (result i32)))
  (import "env" "h" (func $h (result i32)))
  (import "env" "tab" (table $ext 2 funcref))
  (table $t (export "t") 4 8 funcref)
  (elem (table $t) (i32.const 1) func $f $g)
  (elem $p func $g $f $f)
  (elem declare func $h)
  (elem (table $ext) (i32.const 1) func $h)
  (elem $e funcref (ref.func $f) (ref.null func))
  (func $f (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $g (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "call") (param i32 i32) (result i32)
    (call_indirect $t (type $ii) (local.get 1) (local.get 0)))
  (func (export "init") (param i32 i32 i32)
    (table.init $t $p (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (elem.drop $p))
  (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "init_e") (param i32 i32 i32)
    (table.init $t $e (local.get 0) (local.get 1) (local.get 2)))
)
