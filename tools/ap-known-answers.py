#!/usr/bin/env python3
"""ap-known-answers.py - `key` and `request` lines with known answers for
an AP scenario file (docs/ap-scenarios.md), computed here with Python's
own integers, independently of hvsim's adapter model (libcrypto).

usage: ap-known-answers.py KEY.pem KEYNAME REQNAME:KIND[:MSGHEX] ...
  KEY.pem  an RSA private key (openssl genrsa -out KEY.pem BITS)
  KIND     me (msg^e mod n), med (msg^d mod n by ME), crt (msg^d mod n
           by CRT), big (a message >= n: error reply 0x84)
  MSGHEX   the message; omitted: derived from REQNAME (deterministic)
The key's numbers come from `openssl rsa -text -noout`.
"""
import hashlib
import re
import subprocess
import sys


def key_parts(pem):
    text = subprocess.run(["openssl", "rsa", "-in", pem, "-text", "-noout"],
                          capture_output=True, text=True, check=True).stdout
    parts, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"^(\w+):\s*(.*)$", line)
        if m:
            cur, parts[m.group(1)] = m.group(1), m.group(2).strip()
        elif cur:
            parts[cur] += line.strip()

    def num(name):
        v = parts[name]
        return int(v.split("(")[0]) if "(" in v else int(v.replace(":", ""), 16)
    k = {"n": num("modulus"), "e": num("publicExponent"),
         "d": num("privateExponent"), "p": num("prime1"), "q": num("prime2"),
         "dp": num("exponent1"), "dq": num("exponent2"),
         "qinv": num("coefficient")}
    assert k["p"] * k["q"] == k["n"] and k["qinv"] * k["q"] % k["p"] == 1
    return k


def hexs(x):
    h = "%x" % x
    return h if len(h) % 2 == 0 else "0" + h


def derived_msg(name, n):
    """A message below n from the request's name (reproducible)."""
    seed, out = name.encode(), b""
    while len(out) * 8 < n.bit_length() + 64:
        seed = hashlib.sha256(seed).digest()
        out += seed
    return int.from_bytes(out, "big") % (n - 2) + 2


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    pem, kname, reqs = argv[1], argv[2], argv[3:]
    k = key_parts(pem)
    fields = ["n", "e", "d", "p", "q", "dp", "dq", "qinv"]
    print("key %s " % kname + " \\\n    ".join(
        "%s=%s" % (f, hexs(k[f])) for f in fields))
    for spec in reqs:
        name, kind, *msg = spec.split(":")
        m = int(msg[0], 16) if msg else derived_msg(name, k["n"])
        if kind == "big":
            print("request %s me key=%s msg=%s error=0x84"
                  % (name, kname, hexs(k["n"] + (m % 7))))
            continue
        exp = k["e"] if kind == "me" else k["d"]
        res = pow(m, exp, k["n"])
        form = {"me": "me", "med": "me exp=d", "crt": "crt"}[kind]
        print("request %s %s key=%s \\\n    msg=%s \\\n    result=%s"
              % (name, form, kname, hexs(m), hexs(res)))


if __name__ == "__main__":
    main(sys.argv)
