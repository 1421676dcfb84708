/*
 * kv_crc.c — CRC-32 (the IEEE 802.3 polynomial, reflected, as in zlib and PNG), table driven.
 * The table is computed on first use; kvstore has one thread, so no synchronisation is needed.
 * kv_crc32(0, p, n) starts a checksum, kv_crc32(crc, p, n) continues it.
 */
#include "kv.h"

static uint32_t crc_table[256];
static bool crc_ready;

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    crc_ready = true;
}

uint32_t kv_crc32(uint32_t crc, const void *p, size_t n) {
    if (!crc_ready) crc_init();
    const uint8_t *b = p;
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ b[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}
