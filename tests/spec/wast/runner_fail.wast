;; runner_fail.wast — a script with exactly two failing assertions (lines 5 and 6), for the
;; runner's failure reporting and --expect-fail / known-failure handling.
(module (func (export "one") (result i32) (i32.const 1)))
(assert_return (invoke "one") (i32.const 1))
(assert_return (invoke "one") (i32.const 2))
(assert_trap (invoke "one") "unreachable")
(assert_return (invoke "one") (i32.const 1))
