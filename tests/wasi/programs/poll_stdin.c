/* poll_stdin.c — poll on standard input (a file here) reports it readable; then read it all.
 * STDIN: stdin_text.txt
 */
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
    struct pollfd p = {.fd = 0, .events = POLLIN};
    int r = poll(&p, 1, 5000);
    printf("poll = %d, POLLIN: %s\n", r, (p.revents & POLLIN) ? "yes" : "no");
    char buf[4096];
    ssize_t total = 0, n;
    while ((n = read(0, buf, sizeof buf)) > 0)
        total += n;
    printf("read %zd bytes\n", total);
    struct pollfd out = {.fd = 1, .events = POLLOUT};
    r = poll(&out, 1, 5000);
    printf("stdout writable: %s\n", r == 1 && (out.revents & POLLOUT) ? "yes" : "no");
    return 0;
}
