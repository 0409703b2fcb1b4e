# A third-party SOCKS5 client for the interop test: slixmpp's own XEP-0065
# Socks5Protocol and DST.ADDR hash connect to our streamhost, send
# SEND bytes, read until the other side closes, and report both hashes.
# Usage: slixmpp_socks5.py HOST PORT SID REQUESTER TARGET SEND
import asyncio
import hashlib
import sys

from slixmpp.plugins.xep_0065.proxy import XEP_0065
from slixmpp.plugins.xep_0065.socks5 import Socks5Protocol


async def main():
    host, port, sid, requester, target, send = sys.argv[1:7]
    dest = XEP_0065._get_dest_sha1(None, sid, requester, target)
    loop = asyncio.get_running_loop()
    got = hashlib.sha256()
    count = 0
    closed = loop.create_future()

    def event(name, data):
        nonlocal count
        if name == 'socks5_data':
            got.update(data)
            count += len(data)
        elif name == 'socks5_closed' and not closed.done():
            closed.set_result(None)

    transport, proto = await loop.create_connection(
        lambda: Socks5Protocol(dest, 0, event), host, int(port))
    await proto.connected
    print('connected', flush=True)
    block = bytes(i % 251 for i in range(65536))
    sent = hashlib.sha256()
    left = int(send)
    while left > 0:
        chunk = block[:min(left, len(block))]
        await proto.write(chunk)
        sent.update(chunk)
        left -= len(chunk)
    transport.write_eof()
    await closed
    print(count, got.hexdigest(), sent.hexdigest(), flush=True)


asyncio.run(main())
