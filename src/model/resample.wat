;; Pillow's 8-bit resampling passes (libImaging/Resample.c ImagingResampleHorizontal_8bpc and
;; ImagingResampleVertical_8bpc) in WebAssembly SIMD, for src/model/resampleKernels.ts.
;; Integer arithmetic as Pillow's C: products and sums in int32 lanes (i32x4.mul and i32x4.add
;; wrap modulo 2^32, and each final sum fits, so it is exact), the rounding half 2^21 added
;; first, then clip8 = saturate(acc >> 22) to 0..255, done by the two saturating narrows.
;; Built into src/model/resampleWasmBytes.ts by scripts/buildResampleWasm.mjs (wat2wasm).
(module
  (memory (export "memory") 1)

  ;; Horizontal pass over `rows` rows of interleaved RGB. Output pixel x of a row reads counts[x]
  ;; pixels from starts[x] with weights[x * ksize ..]; all three arrays are int32 in memory.
  ;; Each pixel is stored as 4 bytes (the 4th is the next pixel's first, overwritten by it), so
  ;; `dst` needs 1 byte after the last row and `src` 1 byte after its last pixel.
  (func (export "horizontal")
    (param $src i32) (param $srcStride i32) (param $rows i32) (param $dst i32) (param $outW i32)
    (param $starts i32) (param $counts i32) (param $weights i32) (param $ksize i32)
    (local $y i32) (local $x i32) (local $p i32) (local $k i32) (local $n i32) (local $wp i32)
    (local $q i32) (local $row i32) (local $acc v128)
    (local.set $q (local.get $dst))
    (local.set $row (local.get $src))
    (block $ydone
      (loop $yloop
        (br_if $ydone (i32.ge_u (local.get $y) (local.get $rows)))
        (local.set $x (i32.const 0))
        (block $xdone
          (loop $xloop
            (br_if $xdone (i32.ge_u (local.get $x) (local.get $outW)))
            (local.set $p (i32.add (local.get $row)
              (i32.mul (i32.load (i32.add (local.get $starts) (i32.shl (local.get $x) (i32.const 2)))) (i32.const 3))))
            (local.set $n (i32.load (i32.add (local.get $counts) (i32.shl (local.get $x) (i32.const 2)))))
            (local.set $wp (i32.add (local.get $weights) (i32.shl (i32.mul (local.get $x) (local.get $ksize)) (i32.const 2))))
            (local.set $acc (i32x4.splat (i32.const 2097152)))
            (local.set $k (i32.const 0))
            (block $kdone
              (loop $kloop
                (br_if $kdone (i32.ge_u (local.get $k) (local.get $n)))
                (local.set $acc (i32x4.add (local.get $acc)
                  (i32x4.mul
                    (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $p))))
                    (i32x4.splat (i32.load (local.get $wp))))))
                (local.set $p (i32.add (local.get $p) (i32.const 3)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 4)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $kloop)))
            (i32.store (local.get $q)
              (i32x4.extract_lane 0
                (i8x16.narrow_i16x8_u
                  (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $acc) (i32.const 22)) (local.get $acc))
                  (local.get $acc))))
            (local.set $q (i32.add (local.get $q) (i32.const 3)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $xloop)))
        (local.set $row (i32.add (local.get $row) (local.get $srcStride)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $yloop))))

  ;; Vertical pass: output row y (of `stride` bytes) reads counts[y] rows from row starts[y] of
  ;; `src` with weights[y * ksize ..], 16 bytes at a time. The last block of a row may run past
  ;; it (into the next row, written later, or padding): `src` and `dst` need 16 bytes after
  ;; their last row.
  (func (export "vertical")
    (param $src i32) (param $stride i32) (param $outRows i32) (param $dst i32)
    (param $starts i32) (param $counts i32) (param $weights i32) (param $ksize i32)
    (local $y i32) (local $x i32) (local $p i32) (local $k i32) (local $n i32) (local $wp i32)
    (local $rowp i32) (local $q i32) (local $wbase i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $v v128) (local $lo v128) (local $hi v128) (local $wv v128)
    (block $ydone
      (loop $yloop
        (br_if $ydone (i32.ge_u (local.get $y) (local.get $outRows)))
        (local.set $rowp (i32.add (local.get $src)
          (i32.mul (i32.load (i32.add (local.get $starts) (i32.shl (local.get $y) (i32.const 2)))) (local.get $stride))))
        (local.set $n (i32.load (i32.add (local.get $counts) (i32.shl (local.get $y) (i32.const 2)))))
        (local.set $wbase (i32.add (local.get $weights) (i32.shl (i32.mul (local.get $y) (local.get $ksize)) (i32.const 2))))
        (local.set $q (i32.add (local.get $dst) (i32.mul (local.get $y) (local.get $stride))))
        (local.set $x (i32.const 0))
        (block $xdone
          (loop $xloop
            (br_if $xdone (i32.ge_u (local.get $x) (local.get $stride)))
            (local.set $a0 (i32x4.splat (i32.const 2097152)))
            (local.set $a1 (local.get $a0))
            (local.set $a2 (local.get $a0))
            (local.set $a3 (local.get $a0))
            (local.set $p (i32.add (local.get $rowp) (local.get $x)))
            (local.set $wp (local.get $wbase))
            (local.set $k (i32.const 0))
            (block $kdone
              (loop $kloop
                (br_if $kdone (i32.ge_u (local.get $k) (local.get $n)))
                (local.set $wv (i32x4.splat (i32.load (local.get $wp))))
                (local.set $v (v128.load (local.get $p)))
                (local.set $lo (i16x8.extend_low_i8x16_u (local.get $v)))
                (local.set $hi (i16x8.extend_high_i8x16_u (local.get $v)))
                (local.set $a0 (i32x4.add (local.get $a0) (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $lo)) (local.get $wv))))
                (local.set $a1 (i32x4.add (local.get $a1) (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $lo)) (local.get $wv))))
                (local.set $a2 (i32x4.add (local.get $a2) (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $hi)) (local.get $wv))))
                (local.set $a3 (i32x4.add (local.get $a3) (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $hi)) (local.get $wv))))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 4)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $kloop)))
            (v128.store (i32.add (local.get $q) (local.get $x))
              (i8x16.narrow_i16x8_u
                (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $a0) (i32.const 22)) (i32x4.shr_s (local.get $a1) (i32.const 22)))
                (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $a2) (i32.const 22)) (i32x4.shr_s (local.get $a3) (i32.const 22)))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br $xloop)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $yloop))))
)
