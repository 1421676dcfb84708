# test_source_hash.cmake — the build-side half of the cache-key test: src/engine/aot/source_hash.cmake
# must give a different AOT_SOURCE_HASH whenever a translator file (src/engine/xlat/*.c *.h) or
# src/engine/rt/rt_abi.h changes or appears, the same hash for the same contents in another
# directory, and ignore files it does not cover (the rest of the runtime). It works on small copies
# in SCRATCH, never on the real tree.
# Usage: cmake -DSCRIPT=<source_hash.cmake> -DSCRATCH=<dir> -P test_source_hash.cmake
if(NOT DEFINED SCRIPT OR NOT DEFINED SCRATCH)
  message(FATAL_ERROR "pass -DSCRIPT=<source_hash.cmake> -DSCRATCH=<dir>")
endif()

function(make_tree root)
  file(REMOVE_RECURSE ${root})
  file(WRITE ${root}/src/engine/xlat/xlat.h "#define XLAT_VERSION \"1\"\n")
  file(WRITE ${root}/src/engine/xlat/xlat_func.c "int f(void) { return 1; }\n")
  file(WRITE ${root}/src/engine/rt/rt_abi.h "#define RT_ABI_VERSION 1u\n")
  file(WRITE ${root}/src/engine/rt/memory.c "int m(void) { return 1; }\n")
endfunction()

# Runs the script on root and sets var to the hash it wrote.
function(hash_of root var)
  set(out ${root}/out/aot_source_hash.h)
  execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${root} -DOUT=${out} -P ${SCRIPT}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "source_hash.cmake failed on ${root}: ${err}")
  endif()
  file(STRINGS ${out} line REGEX "^#define AOT_SOURCE_HASH \"[0-9a-f]+\"$")
  string(REGEX REPLACE "^#define AOT_SOURCE_HASH \"([0-9a-f]+)\"$" "\\1" h "${line}")
  string(LENGTH "${h}" len)
  if(NOT len EQUAL 64)
    message(FATAL_ERROR "no 64-digit AOT_SOURCE_HASH in ${out}: '${line}'")
  endif()
  set(${var} ${h} PARENT_SCOPE)
endfunction()

function(expect what a op b)
  if(op STREQUAL "==" AND NOT a STREQUAL b)
    message(FATAL_ERROR "${what}: hashes differ (${a} vs ${b})")
  elseif(op STREQUAL "!=" AND a STREQUAL b)
    message(FATAL_ERROR "${what}: hash did not change (${a})")
  endif()
  message(STATUS "ok: ${what}")
endfunction()

set(A ${SCRATCH}/a)
set(B ${SCRATCH}/other/b)
make_tree(${A})
make_tree(${B})
hash_of(${A} base)
hash_of(${A} again)
expect("deterministic" ${base} == ${again})
hash_of(${B} moved)
expect("independent of the tree's location" ${base} == ${moved})

file(APPEND ${A}/src/engine/rt/memory.c "/* not hashed */\n")
hash_of(${A} h)
expect("a runtime file outside the ABI does not count" ${base} == ${h})

file(APPEND ${A}/src/engine/xlat/xlat_func.c "/* a translator change, no version bump */\n")
hash_of(${A} h1)
expect("a translator .c file changed" ${base} != ${h1})

file(APPEND ${A}/src/engine/xlat/xlat.h "/* comment */\n")
hash_of(${A} h2)
expect("a translator header changed" ${h1} != ${h2})

file(APPEND ${A}/src/engine/rt/rt_abi.h "/* comment */\n")
hash_of(${A} h3)
expect("rt_abi.h changed" ${h2} != ${h3})

file(WRITE ${A}/src/engine/xlat/xlat_new.c "int g(void) { return 2; }\n")
hash_of(${A} h4)
expect("a new translator file" ${h3} != ${h4})

file(RENAME ${A}/src/engine/xlat/xlat_new.c ${A}/src/engine/xlat/xlat_renamed.c)
hash_of(${A} h5)
expect("a renamed translator file" ${h4} != ${h5})

# a tree without rt_abi.h is an error, not a silent hash
file(REMOVE ${B}/src/engine/rt/rt_abi.h)
execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${B} -DOUT=${B}/out/h.h -P ${SCRIPT}
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "missing")
  message(FATAL_ERROR "a missing rt_abi.h was not reported (rc ${rc}): ${err}")
endif()
message(STATUS "ok: a missing rt_abi.h is reported")
file(REMOVE_RECURSE ${SCRATCH})
