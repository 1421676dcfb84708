;; Hand-translated in mod_atomic.c. Function indices: 0 wait32, 1 wait64, 2 notify, 3 add, 4 load
(module
  (memory (export "mem") 1 2 shared)
  (func (export "wait32") (param i32 i32 i64) (result i32)
    (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "wait64") (param i32 i64 i64) (result i32)
    (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i32 i32) (result i32)
    (memory.atomic.notify (local.get 0) (local.get 1)))
  (func (export "add") (param i32 i32) (result i32)
    (i32.atomic.rmw.add (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))
)
