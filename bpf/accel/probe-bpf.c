// SPDX-License-Identifier: GPL-2.0
// accel-probe: output in the check protocol, and the BPF side: objects loaded without pins, maps, counters.
#include "probe.h"

/* ---- output ---------------------------------------------------------------------------------------------- */

void __attribute__((noreturn, format(printf, 2, 3))) fail(const char *reason, const char *fmt, ...)
{
	va_list ap;

	printf("::reason %s\n", reason);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(1);
}

void __attribute__((noreturn, format(printf, 1, 2))) pass(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(0);
}

void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fputs("accel-probe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* libbpf's messages are kept, not printed: a failed load shows the end of the verifier's log. */
char libbpf_log[256 * 1024];
static size_t libbpf_log_len;

int keep_libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n;

	if (level == LIBBPF_DEBUG || libbpf_log_len >= sizeof(libbpf_log) - 1)
		return 0;
	n = vsnprintf(libbpf_log + libbpf_log_len, sizeof(libbpf_log) - libbpf_log_len, fmt, ap);
	if (n > 0)
		libbpf_log_len += (size_t)n < sizeof(libbpf_log) - libbpf_log_len ? (size_t)n : sizeof(libbpf_log) - libbpf_log_len - 1;
	return 0;
}

/* The last `lines` lines of the verifier's log (between libbpf's BEGIN and END markers), to stderr. */
void print_log_tail(int lines)
{
	char *end = strstr(libbpf_log, "-- END PROG LOAD LOG --");
	char *p;
	int n = 0;

	if (!end)
		end = libbpf_log + libbpf_log_len;
	for (p = end; p > libbpf_log; p--)
		if (p[-1] == '\n' && ++n > lines)
			break;
	fwrite(p, 1, end - p, stderr);
}

/* ---- objects, maps, counters ----------------------------------------------------------------------------- */

int ncpus;

__u64 counter(const struct counters *c, __u32 idx)
{
	__u64 values[ncpus > 0 ? ncpus : 1], sum = 0;

	memset(values, 0, sizeof(values));
	if (bpf_map_lookup_elem(c->fd, &idx, values))
		return 0;
	for (int i = 0; i < (c->percpu ? ncpus : 1); i++)
		sum += values[i];
	return sum;
}

void counters_now(const struct counters *c, __u64 out[STAT_MAX])
{
	for (__u32 i = 0; i < STAT_MAX; i++)
		out[i] = counter(c, i);
}

int map_info(int fd, struct bpf_map_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpf_obj_get_info_by_fd(fd, info, &len);
}

int prog_info(int fd, struct bpf_prog_info *info, __u32 *map_ids, __u32 nr_map_ids)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	if (map_ids) {
		info->nr_map_ids = nr_map_ids;
		info->map_ids = (__u64)(unsigned long)map_ids;
	}
	return bpf_obj_get_info_by_fd(fd, info, &len);
}

/* The learner's object: present, built after its source was last saved. */
void need_build(const char *dir, const char *name, char *path, size_t size)
{
	char src[PATH_MAX];
	struct stat o, c;

	snprintf(path, size, "%s/%s.bpf.o", dir, name);
	snprintf(src, sizeof(src), "%s/%s.bpf.c", dir, name);
	if (stat(path, &o))
		fail("no-build", "%s is missing: build it with make -C %s", path, dir);
	if (!stat(src, &c) && (c.st_mtim.tv_sec > o.st_mtim.tv_sec ||
			       (c.st_mtim.tv_sec == o.st_mtim.tv_sec && c.st_mtim.tv_nsec > o.st_mtim.tv_nsec)))
		fail("stale-build", "%s is older than %s.bpf.c: build again with make -C %s", path, name, dir);
}

/* Opened without pins: LIBBPF_PIN_BY_NAME would otherwise reuse the lab's own /sys/fs/bpf/accel_socks. */
struct bpf_object *open_unpinned(const char *path)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_map *map;

	if (!obj)
		fail("no-build", "%s cannot be opened as a BPF object (%s): build it again with make", path, strerror(errno));
	bpf_object__for_each_map(map, obj)
		bpf_map__set_pin_path(map, NULL);
	return obj;
}

struct bpf_program *program_of(struct bpf_object *obj, enum bpf_prog_type type, const char *path, const char *sec)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
		if (bpf_program__type(prog) == type)
			return prog;
	fail("no-program", "%s has no SEC(\"%s\") program: keep the SEC line of the starter", path, sec);
}

/* The object's maps must be accel.h's: the sockhash with a 16-byte key, the counters as 8-byte values. */
struct bpf_map *need_map(struct bpf_object *obj, const char *name, const char *path)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
	bool ok;

	if (!map)
		fail("maps", "%s does not define the %s map: keep #include \"accel.h\" and its maps", path, name);
	if (!strcmp(name, "accel_socks"))
		ok = bpf_map__type(map) == BPF_MAP_TYPE_SOCKHASH && bpf_map__key_size(map) == sizeof(struct sock_key);
	else
		ok = (bpf_map__type(map) == BPF_MAP_TYPE_ARRAY || bpf_map__type(map) == BPF_MAP_TYPE_PERCPU_ARRAY) &&
		     bpf_map__value_size(map) == sizeof(__u64) && bpf_map__max_entries(map) >= STAT_MAX;
	if (!ok)
		fail("maps", "%s's %s map is not the one accel.h defines: restore accel.h (the editor's Reset file)", path, name);
	return map;
}

void load(struct bpf_object *obj, const char *path)
{
	libbpf_log_len = 0;
	libbpf_log[0] = 0;
	if (bpf_object__load(obj)) {
		print_log_tail(8);
		fail("verifier", "the kernel refused %s (the end of the verifier's log is above): load it with bpftool prog load to read it all", path);
	}
}

struct counters counters_of(struct bpf_map *map)
{
	return (struct counters){ bpf_map__fd(map), bpf_map__type(map) == BPF_MAP_TYPE_PERCPU_ARRAY };
}

