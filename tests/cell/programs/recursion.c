/* Deep recursion with the checkpoint at the bottom: every frame's locals must survive. */
#include <granny.h>
#include <stdio.h>

static int depth_reached;

static unsigned long long descend(int depth, unsigned long long acc) {
    volatile double local = depth * 0.5; /* a float local in every frame */
    unsigned long long mine = acc * 31 + (unsigned long long)depth;
    if (depth == 0) {
        granny_checkpoint();
        depth_reached = 1;
        return mine;
    }
    unsigned long long below = descend(depth - 1, mine);
    return below ^ (mine + (unsigned long long)(local * 2));
}

int main(void) {
    for (int round = 0; round < 3; round++) {
        unsigned long long r = descend(2000 + round * 1000, 7);
        printf("round %d: %llu (bottom %d)\n", round, r, depth_reached);
        fflush(stdout);
    }
    return 3;
}
