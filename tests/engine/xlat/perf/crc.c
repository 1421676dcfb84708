/* Table-driven CRC-32 over a 16 MiB buffer, repeated: byte loads and table lookups. */
#include <stdint.h>
#include "kernels.h"
#define N (16 * 1024 * 1024)
static uint8_t buf[N];
static uint32_t table[256];
KERNEL {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t s = 1;
    for (int i = 0; i < N; i++) {
        s = s * 1664525u + 1013904223u;
        buf[i] = (uint8_t)(s >> 24);
    }
    uint32_t crc = 0;
    for (int rep = 0; rep < 8; rep++) {
        crc = ~crc;
        for (int i = 0; i < N; i++)
            crc = table[(crc ^ buf[i]) & 0xFF] ^ (crc >> 8);
        crc = ~crc;
    }
    return (double)crc;
}
