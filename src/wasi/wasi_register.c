/*
 * wasi_register.c — the wasi_snapshot_preview1 host functions as one table, and their
 * registration in an rt_host_registry.
 *
 * Each entry names a function, its wasm signature (params ':' results; i = i32, I = i64) and a
 * thin wrapper that finds the calling cell's context (caller->user's first member), captures the
 * guest memory (base and current size), unpacks the wasm arguments from io[], calls the typed
 * implementation and stores the errno as the i32 result. The typed implementations (in
 * wasi_fd.c, wasi_path.c, wasi_poll.c, wasi_proc.c) never see rt_value.
 *
 * proc_exit (and a terminating proc_raise) leave the guest through rt_trap_exit, which unwinds to
 * the rt_invoke that started it; the trap record carries the exit code.
 */
#include <stdio.h>

#include "wasi/wasi_internal.h"

typedef struct wasi_call {
    wasi_ctx *ctx;
    wasi_mem mem;
} wasi_call;

static wasi_call call_begin(rt_instance *caller) {
    wasi_call c;
    c.ctx = wasi_ctx_of(caller);
    if (!c.ctx) rt_trap_host("wasi: the calling instance has no WASI context");
    if (caller->memory) {
        c.mem.base = caller->memory->base;
        c.mem.size = __atomic_load_n(&caller->memory->size, __ATOMIC_ACQUIRE);
    } else {
        c.mem.base = NULL;
        c.mem.size = 0;
    }
    return c;
}

/* ---- wrappers, in the order of the preview1 witx ---- */

static void h_args_get(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_args_get(c.ctx, &c.mem, io[0].i32, io[1].i32);
}

static void h_args_sizes_get(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_args_sizes_get(c.ctx, &c.mem, io[0].i32, io[1].i32);
}

static void h_environ_get(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_environ_get(c.ctx, &c.mem, io[0].i32, io[1].i32);
}

static void h_environ_sizes_get(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_environ_sizes_get(c.ctx, &c.mem, io[0].i32, io[1].i32);
}

static void h_clock_res_get(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_clock_res_get(c.ctx, &c.mem, io[0].i32, io[1].i32);
}

static void h_clock_time_get(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_clock_time_get(c.ctx, &c.mem, io[0].i32, io[1].i64, io[2].i32);
}

static void h_fd_advise(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_advise(c.ctx, &c.mem, io[0].i32, io[1].i64, io[2].i64, io[3].i32);
}

static void h_fd_allocate(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_allocate(c.ctx, &c.mem, io[0].i32, io[1].i64, io[2].i64);
}

static void h_fd_close(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_close(c.ctx, &c.mem, io[0].i32);
}

static void h_fd_datasync(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_datasync(c.ctx, &c.mem, io[0].i32);
}

static void h_fd_fdstat_get(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_fdstat_get(c.ctx, &c.mem, io[0].i32, io[1].i32);
}

static void h_fd_fdstat_set_flags(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_fdstat_set_flags(c.ctx, &c.mem, io[0].i32, io[1].i32);
}

static void h_fd_fdstat_set_rights(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_fdstat_set_rights(c.ctx, &c.mem, io[0].i32, io[1].i64, io[2].i64);
}

static void h_fd_filestat_get(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_filestat_get(c.ctx, &c.mem, io[0].i32, io[1].i32);
}

static void h_fd_filestat_set_size(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_filestat_set_size(c.ctx, &c.mem, io[0].i32, io[1].i64);
}

static void h_fd_filestat_set_times(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 =
        wasi_fd_filestat_set_times(c.ctx, &c.mem, io[0].i32, io[1].i64, io[2].i64, io[3].i32);
}

static void h_fd_pread(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_pread(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i64, io[4].i32);
}

static void h_fd_prestat_get(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_prestat_get(c.ctx, &c.mem, io[0].i32, io[1].i32);
}

static void h_fd_prestat_dir_name(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_prestat_dir_name(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32);
}

static void h_fd_pwrite(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 =
        wasi_fd_pwrite(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i64, io[4].i32);
}

static void h_fd_read(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_read(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i32);
}

static void h_fd_readdir(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 =
        wasi_fd_readdir(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i64, io[4].i32);
}

static void h_fd_renumber(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_renumber(c.ctx, &c.mem, io[0].i32, io[1].i32);
}

static void h_fd_seek(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_seek(c.ctx, &c.mem, io[0].i32, (int64_t)io[1].i64, io[2].i32, io[3].i32);
}

static void h_fd_sync(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_sync(c.ctx, &c.mem, io[0].i32);
}

static void h_fd_tell(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_tell(c.ctx, &c.mem, io[0].i32, io[1].i32);
}

static void h_fd_write(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_fd_write(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i32);
}

static void h_path_create_directory(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_path_create_directory(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32);
}

static void h_path_filestat_get(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_path_filestat_get(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i32,
                                       io[4].i32);
}

static void h_path_filestat_set_times(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_path_filestat_set_times(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32,
                                             io[3].i32, io[4].i64, io[5].i64, io[6].i32);
}

static void h_path_link(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_path_link(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i32, io[4].i32,
                               io[5].i32, io[6].i32);
}

static void h_path_open(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_path_open(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i32, io[4].i32,
                               io[5].i64, io[6].i64, io[7].i32, io[8].i32);
}

static void h_path_readlink(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_path_readlink(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i32,
                                   io[4].i32, io[5].i32);
}

static void h_path_remove_directory(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_path_remove_directory(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32);
}

static void h_path_rename(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_path_rename(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i32,
                                 io[4].i32, io[5].i32);
}

static void h_path_symlink(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 =
        wasi_path_symlink(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i32, io[4].i32);
}

static void h_path_unlink_file(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_path_unlink_file(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32);
}

static void h_poll_oneoff(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_poll_oneoff(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i32);
}

static void h_proc_exit(rt_instance *caller, void *data, rt_value *io) {
    (void)call_begin(caller);
    rt_trap_exit((int)io[0].i32);
}

static void h_proc_raise(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    int exit_code;
    io[0].i32 = wasi_proc_raise(c.ctx, &c.mem, io[0].i32, &exit_code);
    if (exit_code >= 0) rt_trap_exit(exit_code);
}

static void h_sched_yield(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_sched_yield(c.ctx, &c.mem);
}

static void h_random_get(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_random_get(c.ctx, &c.mem, io[0].i32, io[1].i32);
}

static void h_sock_accept(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_sock_accept(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32);
}

static void h_sock_recv(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_sock_recv(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i32, io[4].i32,
                               io[5].i32);
}

static void h_sock_send(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 =
        wasi_sock_send(c.ctx, &c.mem, io[0].i32, io[1].i32, io[2].i32, io[3].i32, io[4].i32);
}

static void h_sock_shutdown(rt_instance *caller, void *data, rt_value *io) {
    wasi_call c = call_begin(caller);
    io[0].i32 = wasi_sock_shutdown(c.ctx, &c.mem, io[0].i32, io[1].i32);
}

static const wasi_function wasi_function_table[] = {
    {"args_get", "ii:i", h_args_get},
    {"args_sizes_get", "ii:i", h_args_sizes_get},
    {"environ_get", "ii:i", h_environ_get},
    {"environ_sizes_get", "ii:i", h_environ_sizes_get},
    {"clock_res_get", "ii:i", h_clock_res_get},
    {"clock_time_get", "iIi:i", h_clock_time_get},
    {"fd_advise", "iIIi:i", h_fd_advise},
    {"fd_allocate", "iII:i", h_fd_allocate},
    {"fd_close", "i:i", h_fd_close},
    {"fd_datasync", "i:i", h_fd_datasync},
    {"fd_fdstat_get", "ii:i", h_fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii:i", h_fd_fdstat_set_flags},
    {"fd_fdstat_set_rights", "iII:i", h_fd_fdstat_set_rights},
    {"fd_filestat_get", "ii:i", h_fd_filestat_get},
    {"fd_filestat_set_size", "iI:i", h_fd_filestat_set_size},
    {"fd_filestat_set_times", "iIIi:i", h_fd_filestat_set_times},
    {"fd_pread", "iiiIi:i", h_fd_pread},
    {"fd_prestat_get", "ii:i", h_fd_prestat_get},
    {"fd_prestat_dir_name", "iii:i", h_fd_prestat_dir_name},
    {"fd_pwrite", "iiiIi:i", h_fd_pwrite},
    {"fd_read", "iiii:i", h_fd_read},
    {"fd_readdir", "iiiIi:i", h_fd_readdir},
    {"fd_renumber", "ii:i", h_fd_renumber},
    {"fd_seek", "iIii:i", h_fd_seek},
    {"fd_sync", "i:i", h_fd_sync},
    {"fd_tell", "ii:i", h_fd_tell},
    {"fd_write", "iiii:i", h_fd_write},
    {"path_create_directory", "iii:i", h_path_create_directory},
    {"path_filestat_get", "iiiii:i", h_path_filestat_get},
    {"path_filestat_set_times", "iiiiIIi:i", h_path_filestat_set_times},
    {"path_link", "iiiiiii:i", h_path_link},
    {"path_open", "iiiiiIIii:i", h_path_open},
    {"path_readlink", "iiiiii:i", h_path_readlink},
    {"path_remove_directory", "iii:i", h_path_remove_directory},
    {"path_rename", "iiiiii:i", h_path_rename},
    {"path_symlink", "iiiii:i", h_path_symlink},
    {"path_unlink_file", "iii:i", h_path_unlink_file},
    {"poll_oneoff", "iiii:i", h_poll_oneoff},
    {"proc_exit", "i:", h_proc_exit},
    {"proc_raise", "i:i", h_proc_raise},
    {"sched_yield", ":i", h_sched_yield},
    {"random_get", "ii:i", h_random_get},
    {"sock_accept", "iii:i", h_sock_accept},
    {"sock_recv", "iiiiii:i", h_sock_recv},
    {"sock_send", "iiiii:i", h_sock_send},
    {"sock_shutdown", "ii:i", h_sock_shutdown},
    {NULL, NULL, NULL},
};

const wasi_function *wasi_functions(void) {
    return wasi_function_table;
}

bool wasi_register(rt_host_registry *registry, rt_error *err) {
    for (const wasi_function *f = wasi_function_table; f->name; f++) {
        if (!rt_host_register(registry, "wasi_snapshot_preview1", f->name, f->signature, f->fn,
                              NULL)) {
            if (err) {
                snprintf(err->msg, sizeof err->msg,
                         "cannot register wasi_snapshot_preview1.%s (%s)", f->name, f->signature);
            }
            return false;
        }
    }
    return true;
}
