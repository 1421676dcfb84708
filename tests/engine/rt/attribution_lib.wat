;; The module attribution.wat imports lib_divide from: a trap inside it names this module.
(module
  (func $lib_divide (export "lib_divide") (param i32) (result i32)
    (i32.div_u (i32.const 7) (local.get 0))))
