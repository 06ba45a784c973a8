// Preloaded into `http-bench` when it runs under valgrind (Benchmarks/run.sh, steps
// http-instructions and client-instructions). An async Swift `main` on Linux ends in libdispatch's
// `dispatch_main`, which
// waits in `sigsuspend` on a `static const sigset_t`; valgrind 3.19 (Debian 12) edits the mask it
// is given in place, and a mask in read-only memory makes valgrind itself crash. This passes a
// writable copy of the same mask: the program behaves the same.
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, 8);  // the kernel's sigset is 8 bytes on Linux
}
