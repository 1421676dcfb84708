;; Instantiation traps in the second element segment; the first one's write persists, and the data
;; segment after it is never applied. Function 0 is f (hand-translated in mod_elem_oob.c).
(module
  (import "env" "tab" (table 4 funcref))
  (import "env" "mem" (memory 1))
  (func $f (export "f") (result i32) (i32.const 42))
  (elem (i32.const 0) $f)
  (elem (i32.const 3) $f $f)
  (data (i32.const 0) "x")
)
