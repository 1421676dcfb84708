/* sections: each section exactly once; lastprivate; nowait; parallel sections. */
#include "omp_test.h"

int main(void) {
    int done[5] = {0};
    int lp = 0;
#pragma omp parallel
    {
#pragma omp sections lastprivate(lp)
        {
#pragma omp section
            {done[0]++;
        lp = 10;
    }
#pragma omp section
    {
        done[1]++;
        lp = 20;
    }
#pragma omp section
    {
        done[2]++;
        lp = 30;
    }
}
#pragma omp sections nowait
{
#pragma omp section
    done[3]++;
#pragma omp section
    done[4]++;
}
}
print_ints("done", done, 5);
printf("lastprivate %d\n", lp);
int s = 0;
#pragma omp parallel sections reduction(+ : s)
{
#pragma omp section
    s += 1;
#pragma omp section
    s += 2;
#pragma omp section
    s += 4;
#pragma omp section
    s += 8;
}
printf("parallel sections %d\n", s);
return 0;
}
