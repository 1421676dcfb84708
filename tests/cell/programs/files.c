/* Open files across a suspension: a file being written and one being read keep their offsets. */
#include <granny.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    FILE *in = fopen("input.txt", "w");
    for (int i = 0; i < 100; i++) fprintf(in, "line %03d\n", i);
    fclose(in);

    FILE *r = fopen("input.txt", "r");
    FILE *w = fopen("output.txt", "w");
    setvbuf(w, NULL, _IONBF, 0); /* unbuffered: the offset lives in the host descriptor */
    setvbuf(r, NULL, _IONBF, 0);
    char line[64];
    int n = 0;
    while (fgets(line, sizeof line, r)) {
        fprintf(w, "%d:%s", n, line);
        if (n % 25 == 0) granny_checkpoint();
        n++;
    }
    fclose(r);
    fclose(w);
    FILE *check = fopen("output.txt", "r");
    long sum = 0;
    int lines = 0;
    while (fgets(line, sizeof line, check)) {
        lines++;
        for (char *p = line; *p; p++) sum += *p;
    }
    fclose(check);
    printf("copied %d lines, output has %d lines, checksum %ld\n", n, lines, sum);
    return 0;
}
