;; runner_bad.wast — not a valid script: wast2json rejects it, so the runner skips it with the
;; reason.
(module (func (result i32) (i32.const
