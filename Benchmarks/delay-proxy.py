#!/usr/bin/env python3
"""Delay proxy for WAN mode: TCP forwarders on 127.0.0.1 that add a fixed delay
in each direction, so a loopback round trip costs what it costs between a CI
runner and a data centre (25 ms each way = 50 ms RTT).

    delay-proxy.py --delay-ms 25 --map MAPFILE [--ready FILE]

MAPFILE: lines "alias upstream_port"; for each, a listener on a free port of
127.0.0.1 forwards to 127.0.0.1:upstream_port. Once every listener is bound the
proxy writes "alias listen_port upstream_port" lines to --ready (or stdout) and
serves until SIGTERM/SIGINT. Only loopback addresses are ever used.

Each chunk read is written to the other side `delay` after it arrived, in order
(a FIFO per direction, no bandwidth limit). TCP_NODELAY is set on both sockets so
the proxy adds no Nagle stalls of its own.
"""
import argparse
import asyncio
import collections
import os
import signal
import socket
import sys

LOOPBACK = "127.0.0.1"


async def pump(reader, writer, delay, loop):
    """Copy reader → writer, each chunk delivered `delay` seconds after it arrived."""
    queue = collections.deque()
    wake = asyncio.Event()
    done = False

    async def deliver():
        while True:
            while not queue:
                if done:
                    return
                wake.clear()
                await wake.wait()
            due, data = queue.popleft()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                break
            writer.write(data)
            await writer.drain()
        try:
            writer.write_eof()
        except (OSError, RuntimeError):
            pass

    task = asyncio.ensure_future(deliver())
    try:
        while True:
            data = await reader.read(262144)
            queue.append((loop.time() + delay, data or None))
            wake.set()
            if not data:
                break
    except (ConnectionError, OSError):
        queue.append((loop.time() + delay, None))
        wake.set()
    done = True
    wake.set()
    try:
        await task
    except (ConnectionError, OSError):
        pass


def nodelay(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


async def serve(mapping, delay, ready):
    loop = asyncio.get_running_loop()

    def handler(upstream_port):
        async def handle(c_reader, c_writer):
            try:
                u_reader, u_writer = await asyncio.open_connection(LOOPBACK, upstream_port)
            except OSError:
                c_writer.close()
                return
            nodelay(c_writer)
            nodelay(u_writer)
            await asyncio.gather(pump(c_reader, u_writer, delay, loop),
                                 pump(u_reader, c_writer, delay, loop),
                                 return_exceptions=True)
            for w in (c_writer, u_writer):
                w.close()
        return handle

    servers, lines = [], []
    for alias, upstream in mapping:
        server = await asyncio.start_server(handler(upstream), LOOPBACK, 0, backlog=512)
        servers.append(server)
        lines.append(f"{alias} {server.sockets[0].getsockname()[1]} {upstream}\n")
    out = "".join(lines)
    if ready:
        with open(ready + ".tmp", "w") as f:
            f.write(out)
        os.rename(ready + ".tmp", ready)
    else:
        sys.stdout.write(out)
        sys.stdout.flush()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for server in servers:
        server.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--delay-ms", type=float, required=True, help="delay added in each direction")
    p.add_argument("--map", required=True, help='file of "alias upstream_port" lines')
    p.add_argument("--ready", help="write the listen ports here once bound")
    a = p.parse_args()
    mapping = []
    for line in open(a.map):
        if line.strip():
            alias, port = line.split()[:2]
            mapping.append((alias, int(port)))
    asyncio.run(serve(mapping, a.delay_ms / 1000.0, a.ready))


if __name__ == "__main__":
    main()
