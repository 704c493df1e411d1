#!/usr/bin/env python3
"""Makes a litecoind regtest chain full of real, signed transactions: chain data in the node's own
formats (blk/rev files, LevelDB chainstate and indexes) to measure compression on. See
bench/README.md ("Compression parameters").

    txchain.py --litecoind PATH --datadir DIR --txs N [--port P]

The node is started here and stopped at the end (RPC stop). Keys come from a throw-away wallet
(4,000 of them, a third legacy P2PKH, the rest P2WPKH); transactions are built, signed and sent
with the node's raw-transaction RPCs (the wallet's own sendmany slows down as it grows): 1 to 3
inputs, 1 to 20 outputs, a block every 300 transactions. Only confirmed outputs are spent, so
mempool chains stay short. Keys are random, so two runs give different bytes of the same shape.
"""
import argparse
import base64
import json
import random
import subprocess
import sys
import time
import urllib.error
import urllib.request


def address_of(output):
    """The address an output pays: 'addresses' (Litecoin Core 0.21) or 'address' (later)."""
    spk = output["scriptPubKey"]
    return spk.get("address") or (spk.get("addresses") or [None])[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--litecoind", required=True)
    p.add_argument("--datadir", required=True)
    p.add_argument("--txs", type=int, required=True)
    p.add_argument("--port", type=int, default=19555)
    a = p.parse_args()

    subprocess.run([a.litecoind, "-regtest", "-datadir=" + a.datadir, "-server", "-listen=0",
                    "-rpcport=%d" % a.port, "-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1",
                    "-rpcuser=bench", "-rpcpassword=bench", "-dnsseed=0", "-upnp=0",
                    "-printtoconsole=0", "-fallbackfee=0.0001", "-checkblockindex=0",
                    "-checkmempool=0", "-vbparams=mweb:0:0", "-txindex=1", "-maxmempool=2000",
                    "-daemon"], check=True)
    url = "http://127.0.0.1:%d/" % a.port
    auth = "Basic " + base64.b64encode(b"bench:bench").decode()

    def rpc(method, *params, wallet=None):
        body = json.dumps({"jsonrpc": "1.0", "id": 1, "method": method,
                           "params": list(params)}).encode()
        req = urllib.request.Request(url + ("wallet/" + wallet if wallet else ""), data=body,
                                     headers={"Authorization": auth,
                                              "Content-Type": "application/json"})
        for _ in range(600):
            try:
                with urllib.request.urlopen(req) as r:
                    return json.loads(r.read())["result"]
            except urllib.error.HTTPError as e:
                err = json.loads(e.read())["error"]
                if err["code"] == -28:  # warming up
                    time.sleep(0.2)
                    continue
                raise RuntimeError("%s: %s" % (method, err))
            except urllib.error.URLError:
                time.sleep(0.2)
        raise RuntimeError("litecoind RPC did not come up")

    try:
        rpc("getblockcount")
        rpc("createwallet", "bench")
        random.seed(7)
        keys = {}  # address -> (private key, scriptPubKey)
        for i in range(4000):
            address = rpc("getnewaddress", "", "bech32" if i % 3 else "legacy", wallet="bench")
            info = rpc("getaddressinfo", address, wallet="bench")
            keys[address] = (rpc("dumpprivkey", address, wallet="bench"), info["scriptPubKey"])
        rpc("unloadwallet", "bench")
        addresses = list(keys)
        miner = addresses[0]
        utxos = []
        for h in rpc("generatetoaddress", 400, miner)[:300]:
            coinbase = rpc("getblock", h, 2)["tx"][0]
            for o in coinbase["vout"]:
                if o["value"] > 0 and address_of(o) == miner:
                    utxos.append((coinbase["txid"], o["n"], o["value"], miner))
        if not utxos:
            raise RuntimeError("no spendable coinbase output found")
        pending = []
        for n in range(a.txs):
            if not utxos or n % 300 == 299:
                rpc("generatetoaddress", 1, miner)
                utxos += pending
                pending = []
            ins = [utxos.pop(random.randrange(len(utxos)))
                   for _ in range(min(len(utxos), random.choice([1, 1, 1, 2, 2, 3])))]
            spend = sum(u[2] for u in ins) - 0.0002
            count = max(1, min(random.choice([1, 2, 2, 2, 3, 5, 10, 20]), int(spend / 0.004)))
            parts = [0.2 + random.random() for _ in range(count)]
            outs, left = {}, spend
            for i, d in enumerate(random.sample(addresses, count)):
                v = round(spend * parts[i] / sum(parts), 8) if i < count - 1 else round(left, 8)
                left -= v
                outs[d] = v
            raw = rpc("createrawtransaction", [{"txid": u[0], "vout": u[1]} for u in ins], outs)
            prev = [{"txid": u[0], "vout": u[1], "scriptPubKey": keys[u[3]][1], "amount": u[2]}
                    for u in ins]
            signed = rpc("signrawtransactionwithkey", raw, sorted({keys[u[3]][0] for u in ins}),
                         prev)
            txid = rpc("sendrawtransaction", signed["hex"])
            for o in rpc("decoderawtransaction", signed["hex"])["vout"]:
                address = address_of(o)
                if o["value"] > 0.0005 and address in keys:
                    pending.append((txid, o["n"], o["value"], address))
        rpc("generatetoaddress", 1, miner)
        info = rpc("getblockchaininfo")
        print("txchain: %d transactions, %d blocks, %.1f MB of blocks" % (
            a.txs, info["blocks"], info["size_on_disk"] / 1e6), flush=True)
    finally:
        try:
            rpc("stop")
        except Exception as e:  # already down: nothing to stop
            print("txchain: stop: %s" % e, file=sys.stderr)
        for _ in range(300):
            if subprocess.run(["pgrep", "-f", "datadir=" + a.datadir],
                              capture_output=True).returncode != 0:
                break
            time.sleep(0.1)


if __name__ == "__main__":
    main()
