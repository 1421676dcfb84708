/*
 * wast_driver.c — `granny-wast`, a stand-alone driver for the spec-test runner, used by the CTest
 * tests until (and besides) the `granny` CLI, which calls the same wast_main for `granny wast`.
 */
#include "wast/wast.h"

int main(int argc, char **argv) {
    return wast_main(argc, argv);
}
