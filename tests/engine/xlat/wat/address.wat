;; Address forms (src/engine/xlat/xlat_addr.c): `p - d` written as mb + p - d (the guard below
;; memory catches the wasm wrap-around), relations carried through locals, offsets that must fall
;; back to 32-bit arithmetic, displacements too large for the guard, loops with assumptions, and
;; shadow pointers of loops (src/engine/xlat/xlat_loop.c) in every situation where a careless one
;; would go wrong: bases that wrap around 2^32, accesses skipped while the address wraps, uses
;; before the anchor, an address computed before the increment and used after it, nested loops.
(module
  (memory 1 2)
  (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
  ;; p - 8, straight and in a loop
  (func (export "minus8") (param i32) (result i32) (i32.load (i32.add (local.get 0) (i32.const -8))))
  (func (export "sub8") (param i32) (result i32) (i32.load (i32.sub (local.get 0) (i32.const 8))))
  ;; with an offset: p - 8 + 16 wraps in wasm when p < 8 (a trap), never lands inside memory
  (func (export "minus8_off16") (param i32) (result i32)
    (i32.load offset=16 (i32.add (local.get 0) (i32.const -8))))
  (func (export "minus70000") (param i32) (result i32)
    (i32.load (i32.add (local.get 0) (i32.const -70000))))
  ;; q = p + 8 through a local after p was used as an address; then q - 12 = p - 4
  (func (export "via_local") (param i32) (result i32) (local i32)
    (drop (i32.load (local.get 0)))
    (local.set 1 (i32.add (local.get 0) (i32.const 8)))
    (i32.add (i32.load (local.get 1)) (i32.load (i32.add (local.get 1) (i32.const -12)))))
  ;; sum of the words at [end - 4*n, end) walking down with p - 4: a loop with x_addr_in
  (func (export "sum_down") (param $end i32) (param $n i32) (result i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $end) (i32.const -4)))))
        (local.set $end (i32.add (local.get $end) (i32.const -4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $s))
  (func (export "store_minus4") (param i32 i32) (i32.store (i32.add (local.get 0) (i32.const -4)) (local.get 1)))
;; sum of n words at b + x, x += 4 (b may be "negative": b + x wraps to small addresses)
  (func (export "sum_bx") (param $b i32) (param $x i32) (param $n i32) (result i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $b) (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $s))
  ;; the same, but the access is skipped while b + x would trap: x steps 4096 from 0 and only
  ;; iterations i >= skip load, so with b = -32768 the address wraps through 2^32 unaccessed
  (func (export "skip_wrap") (param $b i32) (param $n i32) (param $skip i32) (result i32)
    (local $x i32) (local $i i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.ge_u (local.get $i) (local.get $skip))
          (then (local.set $s (i32.add (local.get $s)
            (i32.load8_u (i32.add (local.get $b) (local.get $x)))))))
        (local.set $x (i32.add (local.get $x) (i32.const 4096)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $s))
  ;; b + x + 4 used (nested) before the anchor b + x: each gets its own pointer; and b + x + 8
  ;; after the anchor shares it
  (func (export "before_anchor") (param $b i32) (param $n i32) (result i32)
    (local $x i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (if (local.get $n) (then (local.set $s (i32.add (local.get $s)
          (i32.load8_u (i32.add (i32.add (local.get $b) (local.get $x)) (i32.const 4)))))))
        (local.set $s (i32.add (local.get $s) (i32.load8_u (i32.add (local.get $b) (local.get $x)))))
        (local.set $s (i32.add (local.get $s)
          (i32.load8_u (i32.add (i32.add (local.get $b) (local.get $x)) (i32.const 8)))))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $s))
  ;; an address computed before the increment (kept on the stack and in a local) used after it,
  ;; the increment written as local.tee in the loop condition
  (func (export "stale") (param $b i32) (param $n i32) (result i32) (local $x i32) (local $t i32)
    (local $s i32)
    (loop $next
      (local.set $t (i32.add (local.get $b) (local.get $x)))
      (i32.add (local.get $b) (local.get $x)) ;; stays on the stack across the increment
      (drop (i32.load8_u (local.get $t)))
      (local.set $x (i32.add (local.get $x) (i32.const 2)))
      i32.load8_u ;; of the b + x on the stack
      local.get $s
      i32.add
      local.set $s
      (local.set $s (i32.add (local.get $s) (i32.mul (i32.const 256) (i32.load8_u (local.get $t)))))
      (br_if $next (i32.lt_u (local.tee $n (i32.sub (local.get $n) (i32.const 1))) (i32.const 1000))))
    (local.get $s))
  ;; nested loops: the inner one reads the outer induction variable's shadow
  (func (export "nested") (param $b i32) (param $rows i32) (param $cols i32) (result i32)
    (local $r i32) (local $c i32) (local $s i32)
    (block $done
      (loop $outer
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $row_done
          (loop $inner
            (br_if $row_done (i32.ge_u (local.get $c) (local.get $cols)))
            (local.set $s (i32.add (local.get $s)
              (i32.load8_u (i32.add (i32.add (local.get $b) (local.get $r)) (local.get $c)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $inner)))
        (local.set $s (i32.add (local.get $s) (i32.load8_u (i32.add (local.get $b) (local.get $r)))))
        (local.set $r (i32.add (local.get $r) (i32.const 16)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $outer)))
    (local.get $s))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  ;; simple loops whose back edge is the br_if that ends them: C do-while loops, unrolled
  (func (export "sum_do") (param $b i32) (param $n i32) (result i32) (local $x i32) (local $s i32)
    (loop $next
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $b) (local.get $x)))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "fill_do") (param $b i32) (param $n i32) (param $v i32) (local $x i32)
    (loop $next
      (i32.store (i32.add (local.get $b) (local.get $x)) (local.get $v))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; the same sum with the running total as the loop's parameter: not a C do-while, no pragma
  (func (export "sum_param") (param $b i32) (param $n i32) (result i32) (local $x i32)
    (i32.const 0)
    (loop $next (param i32) (result i32)
      (i32.add (i32.load (i32.add (local.get $b) (local.get $x))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; the back edge is dead code: the do-while is closed without it
  (func (export "dead_back_edge") (param $b i32) (result i32) (local $x i32) (local $s i32)
    (loop $next
      (local.set $s (i32.load (i32.add (local.get $b) (local.get $x))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (i32.store (i32.const 2000) (local.get $s))
      unreachable
      (br_if $next (local.get $s)))
    (local.get $s))
)
