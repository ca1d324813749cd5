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
 Reads, on SKUs "sku-<k>" spread over --skus by a multiplicative hash of the call's index (the Java harness's
 * sequence):
 *   rest     GET /v1/offers/sku-<k>?channel=<channel>
 *   mcp      POST /mcp, a JSON-RPC tools/call of get_offer {sku, channel}
 * Reservations of --qty units held --ttl seconds of the one SKU --sku (the flash sale's hot SKU), on three edges:
 *   reserve  POST /v1/reservations (Truestock's HTTP edge)
 *   binary   a RESERVE CommandRecord frame over Truestock's binary protocol; the generator speaks no SBE: it sends
 *            the frames BinaryFrames (benchmarks module) encoded, given in hex (--hello, --request), a Hello first
 *            on each connection, and writes each call's correlation id into the request's bytes 4 to 11
 *   redis    EVALSHA of the reservation script (--sha) with KEYS stock:{sku} and res:{sku}:<call>, ARGV qty, ttl
 * and
 *   idle     no call at all: the thread sleeps until each due instant and records how late it woke, the floor
 *            under every figure on this machine (scheduling and virtual-CPU stalls, as a hiccup meter shows them)
 * An answer counts as an error unless: rest, mcp: status 200 and a body holding "quote" (and, for mcp,
 * "isError":false); reserve: status 201 and a body holding "held"; binary: a CommandOutcome (--outcome-template at
 * --template-offset) whose reject reason byte (at --reject-offset) is --reject-none; redis: the integer reply 1.
 * The first error is printed.
 *
 * With --loop closed there is no schedule: each connection sends its next call as soon as the answer to its last
 * one is in, for --seconds, and a call's latency runs from its send to its answer. That is how wrk and
 * redis-benchmark drive a server, but without wrk's correction for coordinated omission (wrk 4.1 adds, for every
 * answer slower than twice the mean interval between answers on a connection, one sample at each interval below
 * it; redis-benchmark adds none), so a closed-loop run here measures two systems the same way, through one
 * generator. At most CLOSED_MAX_CALLS calls are recorded; the run ends early when they are.
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
#define CLOSED_MAX_CALLS (1L << 23)

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
enum mode { REST, MCP, RESERVE, BINARY, REDIS, IDLE };

static enum mode mode = REST;
static int idle;
static int spin;
static int closed;
static long skus = 1000;
static const char *sku_name = "hot";
static long qty = 1;
static long ttl = 1;
static const char *sha = "";
static unsigned char hello_frame[REQUEST_BYTES];
static size_t hello_length;
static unsigned char request_frame[REQUEST_BYTES];
static size_t request_frame_length;
static long outcome_template = -1;
static long template_offset = -1;
static long reject_offset = -1;
static long reject_none = 0;

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
    if (mode == MCP)
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
    else if (mode == RESERVE)
    {
        char body[512];
        const int body_length = snprintf(body, sizeof(body),
            "{\"channel\":\"%s\",\"lines\":[{\"sku\":\"%s\",\"qty\":%ld}],\"ttl_seconds\":%ld}", channel, sku_name,
            qty, ttl);
        length = snprintf(c->request, REQUEST_BYTES,
            "POST /v1/reservations HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
            host, port, token, body_length, body);
    }
    else if (mode == BINARY)
    {
        memcpy(c->request, request_frame, request_frame_length);
        const uint64_t correlation = (uint64_t)index + 2; /* 1 was each connection's Hello */
        for (int b = 0; b < 8; b++)
        {
            c->request[4 + b] = (char)((correlation >> (8 * b)) & 0xFF);
        }
        length = (int)request_frame_length;
    }
    else if (mode == REDIS)
    {
        char stock_key[160];
        char hold_key[192];
        char qty_text[24];
        char ttl_text[24];
        const int stock_length = snprintf(stock_key, sizeof(stock_key), "stock:{%s}", sku_name);
        const int hold_length = snprintf(hold_key, sizeof(hold_key), "res:{%s}:%lld", sku_name, (long long)index);
        const int qty_length = snprintf(qty_text, sizeof(qty_text), "%ld", qty);
        const int ttl_length = snprintf(ttl_text, sizeof(ttl_text), "%ld", ttl);
        length = snprintf(c->request, REQUEST_BYTES,
            "*7\r\n$7\r\nEVALSHA\r\n$%d\r\n%s\r\n$1\r\n2\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n",
            (int)strlen(sha), sha, stock_length, stock_key, hold_length, hold_key, qty_length, qty_text, ttl_length,
            ttl_text);
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
 * An HTTP answer's total length once its head and Content-Length are in, 0 while incomplete, -1 if it has no
 * Content-Length (chunked or close-delimited answers are not expected from this server).
 */
static long http_answer_length(const struct connection *c, long *head_length)
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

/* A binary frame's total length (its little-endian length prefix plus 4) once the prefix is in, else 0. */
static long frame_length(const unsigned char *bytes, size_t received)
{
    if (received < 4)
    {
        return 0;
    }
    const uint32_t length = (uint32_t)bytes[0] | ((uint32_t)bytes[1] << 8) | ((uint32_t)bytes[2] << 16) |
        ((uint32_t)bytes[3] << 24);
    if (length > ANSWER_BYTES - 8)
    {
        fprintf(stderr, "openloop: a frame of %u bytes\n", length);
        exit(1);
    }
    return (long)length + 4;
}

/*
 * The length of the answer at the head of the connection's bytes, 0 while incomplete, -1 if it cannot be framed;
 * sets *body to where its payload starts (HTTP: after the head).
 */
static long answer_length(const struct connection *c, long *body)
{
    *body = 0;
    if (mode == BINARY)
    {
        return frame_length((const unsigned char *)c->answer, c->received);
    }
    if (mode == REDIS)
    {
        /* Integer, simple-string and error replies: one line. */
        const char *end = memmem(c->answer, c->received, "\r\n", 2);
        return end == NULL ? 0 : (end - c->answer) + 2;
    }
    return http_answer_length(c, body);
}

/* Whether a complete answer (NUL-terminated at `length`) is the success its call expects. */
static int answer_ok(const struct connection *c, long length, long body)
{
    const unsigned char *bytes = (const unsigned char *)c->answer;
    switch (mode)
    {
        case BINARY:
            return template_offset + 2 <= length && reject_offset < length &&
                ((long)bytes[template_offset] | ((long)bytes[template_offset + 1] << 8)) == outcome_template &&
                (long)bytes[reject_offset] == reject_none;
        case REDIS:
            return strncmp(c->answer, ":1\r\n", 4) == 0;
        case RESERVE:
            return strncmp(c->answer, "HTTP/1.1 201", 12) == 0 && strstr(c->answer + body, "held") != NULL;
        case MCP:
            return strncmp(c->answer, "HTTP/1.1 200", 12) == 0 && strstr(c->answer + body, "\"quote\"") != NULL &&
                strstr(c->answer + body, "\"isError\":false") != NULL;
        default:
            return strncmp(c->answer, "HTTP/1.1 200", 12) == 0 && strstr(c->answer + body, "\"quote\"") != NULL;
    }
}

/* Sends each connection's Hello and waits for its Welcome (binary mode), blocking: before anything is timed. */
static void greet(int count)
{
    for (int i = 0; i < count; i++)
    {
        struct connection *c = &connections[i];
        size_t sent = 0;
        while (sent < hello_length)
        {
            const ssize_t n = send(c->fd, hello_frame + sent, hello_length - sent, MSG_NOSIGNAL);
            if (n <= 0)
            {
                die("send hello");
            }
            sent += (size_t)n;
        }
        size_t received = 0;
        long length = 0;
        while (length == 0 || (long)received < length)
        {
            const ssize_t n = recv(c->fd, c->answer + received, ANSWER_BYTES - 1 - received, 0);
            if (n <= 0)
            {
                fprintf(stderr, "openloop: the server closed a connection before its Welcome\n");
                exit(1);
            }
            received += (size_t)n;
            length = frame_length((const unsigned char *)c->answer, received);
        }
        const unsigned char *bytes = (const unsigned char *)c->answer;
        const long welcome = (long)bytes[template_offset] | ((long)bytes[template_offset + 1] << 8);
        if ((long)received != length || welcome != 200)
        {
            fprintf(stderr, "openloop: no Welcome (message %ld, %zu bytes): is the token right?\n", welcome, received);
            exit(1);
        }
    }
}

/* Hex into bytes; exits on a bad or too long string. */
static size_t from_hex(const char *hex, unsigned char *out, size_t capacity)
{
    const size_t length = strlen(hex);
    if (length % 2 != 0 || length / 2 > capacity)
    {
        fprintf(stderr, "openloop: a frame in hex must have an even length of at most %zu bytes\n", capacity);
        exit(2);
    }
    for (size_t i = 0; i < length / 2; i++)
    {
        unsigned int byte;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
        {
            fprintf(stderr, "openloop: not hex: %.8s\n", hex + 2 * i);
            exit(2);
        }
        out[i] = (unsigned char)byte;
    }
    return length / 2;
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
        "[--skus N] [--token T] [--channel ID] [--host 127.0.0.1] [--mode rest|mcp|reserve|binary|redis|idle] "
        "[--loop open|closed] [--wait sleep|spin] [--sku NAME] [--qty N] [--ttl S] [--sha SHA] [--hello HEX] [--request HEX] "
        "[--outcome-template N] [--template-offset N] [--reject-offset N] [--reject-none N]\n");
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

/*
 * Runs `seconds` of calls at `rate` (closed loop: as fast as the answers come, at most `total` calls); records
 * latencies when `latencies` is not NULL. Returns the calls answered.
 */
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
    const long total = closed ? CLOSED_MAX_CALLS : (long)(rate * seconds);
    const double interval = closed ? 0 : 1e9 / rate;
    const int64_t start = now_nanos() + (closed ? 0 : 10000000L);
    const int64_t deadline = start + (int64_t)(seconds * 1e9);
    long issued = 0;
    long answered = 0;
    int in_flight = 0;
    int first_error_reported = 0;
    struct epoll_event events[MAX_CONNECTIONS + 1];
    while (closed ? in_flight > 0 || (issued < total && now_nanos() < deadline) : answered < total)
    {
        /* Issue every call that is due (closed loop: one on every free connection), as long as one is free. */
        int64_t now = now_nanos();
        while (issued < total && free_count > 0)
        {
            const int64_t due = closed ? now_nanos() : start + (int64_t)((double)issued * interval);
            if (closed ? now >= deadline : due > now)
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
        if (issued < total && free_count > 0 && !spin && !closed)
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
            long body = 0;
            const long length = answer_length(c, &body);
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
            const char after = c->answer[length];
            c->answer[length] = '\0';
            const int ok = answer_ok(c, length, body);
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
            c->answer[length] = after;
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
        else if (strcmp(option, "--loop") == 0)
        {
            if (strcmp(value, "closed") == 0) closed = 1;
            else if (strcmp(value, "open") == 0) closed = 0;
            else usage();
        }
        else if (strcmp(option, "--wait") == 0)
        {
            if (strcmp(value, "spin") == 0) spin = 1;
            else if (strcmp(value, "sleep") == 0) spin = 0;
            else usage();
        }
        else if (strcmp(option, "--mode") == 0)
        {
            if (strcmp(value, "mcp") == 0) mode = MCP;
            else if (strcmp(value, "rest") == 0) mode = REST;
            else if (strcmp(value, "reserve") == 0) mode = RESERVE;
            else if (strcmp(value, "binary") == 0) mode = BINARY;
            else if (strcmp(value, "redis") == 0) mode = REDIS;
            else if (strcmp(value, "idle") == 0) mode = IDLE;
            else usage();
            idle = mode == IDLE;
        }
        else if (strcmp(option, "--sku") == 0) sku_name = value;
        else if (strcmp(option, "--qty") == 0) qty = atol(value);
        else if (strcmp(option, "--ttl") == 0) ttl = atol(value);
        else if (strcmp(option, "--sha") == 0) sha = value;
        else if (strcmp(option, "--hello") == 0) hello_length = from_hex(value, hello_frame, sizeof(hello_frame));
        else if (strcmp(option, "--request") == 0)
            request_frame_length = from_hex(value, request_frame, sizeof(request_frame));
        else if (strcmp(option, "--outcome-template") == 0) outcome_template = atol(value);
        else if (strcmp(option, "--template-offset") == 0) template_offset = atol(value);
        else if (strcmp(option, "--reject-offset") == 0) reject_offset = atol(value);
        else if (strcmp(option, "--reject-none") == 0) reject_none = atol(value);
        else usage();
    }
    const long total = closed ? CLOSED_MAX_CALLS : (long)(rate * seconds);
    if ((port <= 0 && !idle) || (closed && idle) || rate <= 0 || seconds <= 0 || count < 1 || count > MAX_CONNECTIONS || skus < 1 ||
        total < 1 || total > MAX_CALLS || strlen(token) > 200 || strlen(channel) > 64 || strlen(sku_name) > 128 ||
        qty < 1 || ttl < 1 || strlen(sha) > 64 || (mode == REDIS && sha[0] == '\0') ||
        (mode == BINARY && (hello_length < 24 || request_frame_length < 24 || outcome_template < 0 ||
            template_offset < 0 || reject_offset < 0)))
    {
        usage();
    }
    for (int i = 0; i < count && !idle; i++)
    {
        connections[i].fd = open_connection();
    }
    if (mode == BINARY)
    {
        greet(count);
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
