/*
 * openloop: an open-loop HTTP/1.1 load generator in one thread, for the agent-protocol latency benchmark
 * (benchmarks/README.md, "Agent protocols: MCP get_offer beside REST").
 *
 * Call i is due at start + i / rate, whatever happened to the calls before it; its latency runs from that intended
 * instant to the last byte of its answer, so a queue behind a slow answer counts (no coordinated omission). The
 * calls go over a fixed set of keep-alive connections, one call in flight on each; a call due while every
 * connection is busy waits for the first one free (its wait counts). One thread does everything with epoll and a
 * timerfd armed for the next due call, so the generator itself adds one thread's scheduling, not one per
 * connection, and allocates nothing while it runs.
 *
 * Two kinds of call, on SKUs "sku-<k>" spread over --skus by a multiplicative hash of the call's index (the Java
 * harness's sequence):
 *   rest  GET /v1/offers/sku-<k>?channel=<channel>
 *   mcp   POST /mcp, a JSON-RPC tools/call of get_offer {sku, channel}
 *   idle  no call at all: the thread sleeps until each due instant and records how late it woke, the floor
 *         under every figure on this machine (scheduling and virtual-CPU stalls, as a hiccup meter shows them)
 * An answer counts as an error unless its status is 200 and its body holds "quote" (and, for mcp,
 * "isError":false); the first error's status is printed.
 *
 * Output, one line: calls=<n> seconds=<s> errors=<n> p50_us=<v> p90_us=<v> p99_us=<v> p999_us=<v> max_us=<v>
 *
 * Build: cc -O2 -o openloop openloop.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNECTIONS 256
#define REQUEST_BYTES 1024
#define ANSWER_BYTES (256 * 1024)
#define MAX_CALLS 100000000L

struct connection
{
    int fd;
    int busy;
    int64_t due;
    size_t request_length;
    size_t sent;
    size_t received;
    char request[REQUEST_BYTES];
    char answer[ANSWER_BYTES];
};

static struct connection connections[MAX_CONNECTIONS];
static int free_list[MAX_CONNECTIONS];
static int free_count;

static const char *host = "127.0.0.1";
static int port;
static const char *token = "";
static const char *channel = "web";
static int mcp;
static int idle;
static int spin;
static long skus = 1000;

static int64_t now_nanos(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void die(const char *what)
{
    perror(what);
    exit(2);
}

static int open_connection(void)
{
    struct sockaddr_in address;
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1)
    {
        fprintf(stderr, "openloop: not an IPv4 address: %s\n", host);
        exit(2);
    }
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
    {
        die("socket");
    }
    if (connect(fd, (struct sockaddr *)&address, sizeof(address)) != 0)
    {
        die("connect");
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

/* Writes call `index`'s request into the connection's buffer. */
static void build_request(struct connection *c, int64_t index)
{
    const long sku = (long)(((uint64_t)index * 0x9E3779B97F4A7C15ULL) % (uint64_t)skus);
    int length;
    if (mcp)
    {
        char body[512];
        const int body_length = snprintf(body, sizeof(body),
            "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"method\":\"tools/call\",\"params\":{\"name\":\"get_offer\","
            "\"arguments\":{\"sku\":\"sku-%ld\",\"channel\":\"%s\"}}}", (long long)index + 1, sku, channel);
        length = snprintf(c->request, REQUEST_BYTES,
            "POST /mcp HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n"
            "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-11-25\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
            host, port, token, body_length, body);
    }
    else
    {
        length = snprintf(c->request, REQUEST_BYTES,
            "GET /v1/offers/sku-%ld?channel=%s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n\r\n",
            sku, channel, host, port, token);
    }
    if (length <= 0 || length >= REQUEST_BYTES)
    {
        fprintf(stderr, "openloop: request too long\n");
        exit(2);
    }
    c->request_length = (size_t)length;
    c->sent = 0;
    c->received = 0;
}

static void send_some(struct connection *c)
{
    while (c->sent < c->request_length)
    {
        const ssize_t n = send(c->fd, c->request + c->sent, c->request_length - c->sent, MSG_NOSIGNAL);
        if (n < 0)
        {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
            {
                return;
            }
            die("send");
        }
        c->sent += (size_t)n;
    }
}

/*
 * The answer's total length once its head and Content-Length are in, 0 while incomplete, -1 if it has no
 * Content-Length (chunked or close-delimited answers are not expected from this server).
 */
static long answer_length(const struct connection *c, long *head_length)
{
    const char *end = memmem(c->answer, c->received, "\r\n\r\n", 4);
    if (end == NULL)
    {
        return 0;
    }
    *head_length = (end - c->answer) + 4;
    const char *line = c->answer;
    while (line < end)
    {
        const char *next = memmem(line, (size_t)(end - line), "\r\n", 2);
        if (next == NULL)
        {
            next = end;
        }
        if ((size_t)(next - line) > 15 && strncasecmp(line, "content-length:", 15) == 0)
        {
            return *head_length + strtol(line + 15, NULL, 10);
        }
        line = next + 2;
    }
    return -1;
}

static int compare_longs(const void *a, const void *b)
{
    const int64_t x = *(const int64_t *)a;
    const int64_t y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static double percentile_micros(const int64_t *sorted, long count, double percentile)
{
    if (count == 0)
    {
        return 0;
    }
    long rank = (long)(percentile / 100.0 * (double)count + 0.999999) - 1;
    if (rank < 0)
    {
        rank = 0;
    }
    if (rank >= count)
    {
        rank = count - 1;
    }
    return (double)sorted[rank] / 1000.0;
}

static void usage(void)
{
    fprintf(stderr, "usage: openloop --port P --rate R --seconds S [--warmup-seconds W] [--connections C] "
        "[--skus N] [--token T] [--channel ID] [--host 127.0.0.1] [--mode rest|mcp|idle] [--wait sleep|spin]\n");
    exit(2);
}

/* Sleeps until each of `seconds` x `rate` due instants and records how late each wake-up was. */
static long run_idle(double rate, double seconds, int64_t *latencies, int64_t *elapsed)
{
    const long total = (long)(rate * seconds);
    const double interval = 1e9 / rate;
    const int64_t start = now_nanos() + 10000000L;
    for (long i = 0; i < total; i++)
    {
        const int64_t due = start + (int64_t)((double)i * interval);
        const struct timespec when = {due / 1000000000L, due % 1000000000L};
        while (spin ? now_nanos() < due : clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &when, NULL) == EINTR)
        {
        }
        if (latencies != NULL)
        {
            latencies[i] = now_nanos() - due;
        }
    }
    *elapsed = now_nanos() - start;
    return total;
}

/* Runs `seconds` of calls at `rate`; records latencies when `latencies` is not NULL. Returns the calls answered. */
static long run(double rate, double seconds, int count, int64_t *latencies, long *errors, int64_t *elapsed)
{
    const int epoll = epoll_create1(0);
    const int timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    if (epoll < 0 || timer < 0)
    {
        die("epoll/timerfd");
    }
    struct epoll_event event = {.events = EPOLLIN, .data.u32 = MAX_CONNECTIONS};
    epoll_ctl(epoll, EPOLL_CTL_ADD, timer, &event);
    free_count = 0;
    for (int i = 0; i < count; i++)
    {
        connections[i].busy = 0;
        struct epoll_event in = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        if (epoll_ctl(epoll, EPOLL_CTL_ADD, connections[i].fd, &in) != 0)
        {
            die("epoll_ctl");
        }
        free_list[free_count++] = i;
    }
    const long total = (long)(rate * seconds);
    const double interval = 1e9 / rate;
    const int64_t start = now_nanos() + 10000000L;
    long issued = 0;
    long answered = 0;
    int in_flight = 0;
    int first_error_reported = 0;
    struct epoll_event events[MAX_CONNECTIONS + 1];
    while (answered < total)
    {
        /* Issue every call that is due, as long as a connection is free. */
        int64_t now = now_nanos();
        while (issued < total && free_count > 0)
        {
            const int64_t due = start + (int64_t)((double)issued * interval);
            if (due > now)
            {
                break;
            }
            struct connection *c = &connections[free_list[--free_count]];
            c->busy = 1;
            c->due = due;
            build_request(c, issued);
            send_some(c);
            issued++;
            in_flight++;
        }
        if (issued < total && free_count > 0 && !spin)
        {
            const int64_t due = start + (int64_t)((double)issued * interval);
            struct itimerspec when = {{0, 0}, {due / 1000000000L, due % 1000000000L}};
            timerfd_settime(timer, TFD_TIMER_ABSTIME, &when, NULL);
        }
        const int ready = epoll_wait(epoll, events, MAX_CONNECTIONS + 1, spin ? 0 : 1000);
        if (ready < 0)
        {
            if (errno == EINTR)
            {
                continue;
            }
            die("epoll_wait");
        }
        if (ready == 0 && in_flight > 0 && !spin)
        {
            fprintf(stderr, "openloop: no answer for 1 s with %d calls in flight\n", in_flight);
        }
        for (int e = 0; e < ready; e++)
        {
            const uint32_t which = events[e].data.u32;
            if (which == MAX_CONNECTIONS)
            {
                uint64_t expirations;
                (void)!read(timer, &expirations, sizeof(expirations));
                continue;
            }
            struct connection *c = &connections[which];
            for (;;)
            {
                const ssize_t n = recv(c->fd, c->answer + c->received, ANSWER_BYTES - 1 - c->received,
                    MSG_DONTWAIT);
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                {
                    break;
                }
                if (n <= 0)
                {
                    fprintf(stderr, "openloop: the server closed a connection\n");
                    exit(1);
                }
                c->received += (size_t)n;
                if (c->received >= ANSWER_BYTES - 1)
                {
                    fprintf(stderr, "openloop: an answer over %d bytes\n", ANSWER_BYTES);
                    exit(1);
                }
            }
            if (!c->busy)
            {
                continue;
            }
            long head_length = 0;
            const long length = answer_length(c, &head_length);
            if (length < 0)
            {
                fprintf(stderr, "openloop: an answer without Content-Length\n");
                exit(1);
            }
            if (length == 0 || (long)c->received < length)
            {
                continue;
            }
            const int64_t latency = now_nanos() - c->due;
            c->answer[length] = '\0';
            const int ok = strncmp(c->answer, "HTTP/1.1 200", 12) == 0 &&
                strstr(c->answer + head_length, "\"quote\"") != NULL &&
                (!mcp || strstr(c->answer + head_length, "\"isError\":false") != NULL);
            if (!ok)
            {
                (*errors)++;
                if (!first_error_reported)
                {
                    first_error_reported = 1;
                    fprintf(stderr, "openloop: first error: %.300s\n", c->answer);
                }
            }
            if (latencies != NULL)
            {
                latencies[answered] = latency;
            }
            answered++;
            in_flight--;
            c->received -= (size_t)length;
            if (c->received > 0)
            {
                fprintf(stderr, "openloop: bytes after an answer\n");
                exit(1);
            }
            c->busy = 0;
            free_list[free_count++] = (int)which;
        }
    }
    *elapsed = now_nanos() - start;
    close(timer);
    close(epoll);
    return answered;
}

int main(int argc, char **argv)
{
    double rate = 1000;
    double seconds = 10;
    double warmup_seconds = 0;
    int count = 16;
    for (int i = 1; i < argc; i++)
    {
        if (i + 1 >= argc)
        {
            usage();
        }
        const char *option = argv[i];
        const char *value = argv[++i];
        if (strcmp(option, "--host") == 0) host = value;
        else if (strcmp(option, "--port") == 0) port = atoi(value);
        else if (strcmp(option, "--rate") == 0) rate = atof(value);
        else if (strcmp(option, "--seconds") == 0) seconds = atof(value);
        else if (strcmp(option, "--warmup-seconds") == 0) warmup_seconds = atof(value);
        else if (strcmp(option, "--connections") == 0) count = atoi(value);
        else if (strcmp(option, "--skus") == 0) skus = atol(value);
        else if (strcmp(option, "--token") == 0) token = value;
        else if (strcmp(option, "--channel") == 0) channel = value;
        else if (strcmp(option, "--wait") == 0)
        {
            if (strcmp(value, "spin") == 0) spin = 1;
            else if (strcmp(value, "sleep") == 0) spin = 0;
            else usage();
        }
        else if (strcmp(option, "--mode") == 0)
        {
            if (strcmp(value, "mcp") == 0) mcp = 1;
            else if (strcmp(value, "rest") == 0) mcp = 0;
            else if (strcmp(value, "idle") == 0) idle = 1;
            else usage();
        }
        else usage();
    }
    const long total = (long)(rate * seconds);
    if ((port <= 0 && !idle) || rate <= 0 || seconds <= 0 || count < 1 || count > MAX_CONNECTIONS || skus < 1 ||
        total < 1 || total > MAX_CALLS || strlen(token) > 200 || strlen(channel) > 64)
    {
        usage();
    }
    for (int i = 0; i < count && !idle; i++)
    {
        connections[i].fd = open_connection();
    }
    int64_t *latencies = malloc(sizeof(int64_t) * (size_t)total);
    if (latencies == NULL)
    {
        die("malloc");
    }
    long errors = 0;
    int64_t elapsed = 0;
    if (warmup_seconds > 0 && !idle)
    {
        long warmup_errors = 0;
        run(rate, warmup_seconds, count, NULL, &warmup_errors, &elapsed);
    }
    const long answered = idle ? run_idle(rate, seconds, latencies, &elapsed) :
        run(rate, seconds, count, latencies, &errors, &elapsed);
    qsort(latencies, (size_t)answered, sizeof(int64_t), compare_longs);
    printf("calls=%ld seconds=%.3f errors=%ld p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f\n",
        answered, (double)elapsed / 1e9, errors, percentile_micros(latencies, answered, 50),
        percentile_micros(latencies, answered, 90), percentile_micros(latencies, answered, 99),
        percentile_micros(latencies, answered, 99.9), answered == 0 ? 0.0 : (double)latencies[answered - 1] / 1000.0);
    for (int i = 0; i < count && !idle; i++)
    {
        close(connections[i].fd);
    }
    free(latencies);
    return errors == 0 ? 0 : 1;
}
