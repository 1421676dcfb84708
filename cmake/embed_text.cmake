# Writes file IN as a C string constant VAR into header OUT (used to embed rt_abi.h).
file(READ ${IN} content)
string(REPLACE "\\" "\\\\" content "${content}")
string(REPLACE "\"" "\\\"" content "${content}")
string(REPLACE "\n" "\\n\"\n\"" content "${content}")
file(WRITE ${OUT} "/* generated from rt_abi.h; do not edit */\nstatic const char ${VAR}[] =\n\"${content}\";\n")
