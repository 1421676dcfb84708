;; Instantiation traps in the second data segment; the first one's bytes persist. The start
;; function (0, hand-translated in mod_data_oob.c) traps when the segments are skipped.
(module
  (import "env" "mem" (memory 1 4))
  (data (i32.const 0) "ab")
  (data (i32.const 65535) "cd")
  (func $start unreachable)
  (start $start)
)
