;; A memory of all 65536 pages: `p - 8` that wraps is a valid address near 4 GiB there, so the
;; translator must keep 32-bit address arithmetic (no assumptions, no negative displacements).
(module
  (memory 65536)
  (func (export "minus8") (param i32) (result i32) (i32.load (i32.add (local.get 0) (i32.const -8))))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
)
