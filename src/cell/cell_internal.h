/*
 * cell_internal.h — what the files of src/cell share with each other but not with the rest.
 */
#ifndef GRANNY_CELL_INTERNAL_H
#define GRANNY_CELL_INTERNAL_H

#include "cell/cell.h"

/* Looks up _start and the asyncify exports of c->inst; sets c->suspendable. */
void cell_bind_exports(cell *c);

/* Registered host sections (cell_snapshot.c). */
uint32_t cell_section_count(void);
const cell_section_ops *cell_section_at(uint32_t i);

#endif
