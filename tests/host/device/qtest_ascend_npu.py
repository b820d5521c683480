#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Device-level test of the ascend-npu QEMU device, through QEMU's qtest
protocol: no guest OS, the test itself plays the driver. It checks what the
host unit tests cannot: PCI identity, BAR sizes and flags, the MSI-X and PCIe
capabilities, DMA through the real bus-master address space, MSI-X messages,
the bottom half, and that bad accesses leave QEMU alive.

Usage: qtest_ascend_npu.py [QEMU]   (default: build/qemu/qemu-system-x86_64)
Prints TAP; exits non-zero when a check fails.
"""
import os
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

DEVFN = 0x04 << 3               # -device ...,addr=04.0
BAR0 = 0xE0000000               # registers
BAR2 = 0xC0000000               # HBM (64 MiB)
BAR4 = 0xE0010000               # MSI-X
HBM = 64 << 20
MSI_RAM = 0x10000               # MSI-X messages land in RAM here
FW_RAM = 0x100000
BUF_RAM = 0x200000

# include/uapi/vascend_hw.h
REG = dict(MAGIC=0x000, VERSION=0x004, CAPS_LO=0x008, AICORE=0x010,
           MSIX_COUNT=0x014, HBM_LO=0x018, HBM_HI=0x01c, SCRATCH=0x020,
           STATUS=0x024, IRQ_STATUS=0x028, RESET=0x02c, FW_ADDR_LO=0x100,
           FW_ADDR_HI=0x104, FW_SIZE=0x108, FW_CTRL=0x10c, FW_STATUS=0x110,
           FW_VERSION=0x114, SOC=0x200, DMA_HOST_LO=0x300, DMA_HOST_HI=0x304,
           DMA_DEV_LO=0x308, DMA_DEV_HI=0x30c, DMA_LEN=0x310, DMA_CTRL=0x314,
           DMA_STATUS=0x318, DMA_SEQ=0x31c)


class Qtest:
    def __init__(self, qemu):
        self.log = tempfile.NamedTemporaryFile(
            "w", prefix="qtest_ascend_npu.", suffix=".log", delete=False)
        self.p = subprocess.Popen(
            ["timeout", "60", qemu, "-machine", "q35", "-accel", "qtest",
             "-qtest", "stdio", "-qtest-log", "/dev/null",
             "-L", os.path.join(os.path.dirname(qemu), "optionrom"),
             "-L", "/usr/share/seabios",
             "-display", "none", "-nodefaults", "-m", "64",
             "-d", "guest_errors", "-D", self.log.name,
             "-trace", "ascend_npu_fw_done", "-trace", "ascend_npu_dma_start",
             "-device", "ascend-npu,addr=04.0,aicores=4,hbm=64M,soc=TestSoC"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def cmd(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        while True:
            out = self.p.stdout.readline()
            if not out:
                raise RuntimeError("QEMU died on: " + line)
            if out.startswith("OK") or out.startswith("FAIL"):
                return out.split()
            # "IRQ ..." notifications and the like: skip

    def val(self, line):
        r = self.cmd(line)
        if r[0] != "OK":
            raise RuntimeError(line + ": " + " ".join(r))
        return int(r[1], 16)

    def cfg_addr(self, off):
        self.cmd("outl 0xcf8 0x%x" % (0x80000000 | DEVFN << 8 | (off & 0xfc)))

    def cfg_rd(self, off):
        self.cfg_addr(off)
        return self.val("inl 0xcfc")

    def cfg_wr(self, off, v):
        self.cfg_addr(off)
        self.cmd("outl 0xcfc 0x%x" % v)

    def rd(self, addr):
        return self.val("readl 0x%x" % addr)

    def wr(self, addr, v):
        self.cmd("writel 0x%x 0x%x" % (addr, v))

    def mem_wr(self, addr, data):
        self.cmd("write 0x%x 0x%x 0x%s" % (addr, len(data), data.hex()))

    def mem_rd(self, addr, n):
        r = self.cmd("read 0x%x 0x%x" % (addr, n))
        return bytes.fromhex(r[1][2:])

    def reg(self, name):
        return self.rd(BAR0 + REG[name])

    def set(self, name, v):
        self.wr(BAR0 + REG[name], v)

    def poll(self, name, busy):
        for _ in range(1000):
            v = self.reg(name)
            if v != busy:
                return v
            self.cmd("clock_step 1000")
        return v

    def alive(self):
        return self.p.poll() is None

    def quit(self):
        # qtest has no quit command: QEMU ends on SIGTERM, as libqtest does.
        self.p.terminate()
        self.p.wait(timeout=10)
        self.p.stdin.close()
        self.log.close()
        with open(self.log.name) as f:
            text = f.read()
        os.unlink(self.log.name)
        return text


count = 0
failed = 0


def check(cond, what):
    global count, failed
    count += 1
    if not cond:
        failed += 1
    print("%sok %d - %s" % ("" if cond else "not ", count, what), flush=True)


def fw_image(version=0x010203, info=b"qtest image\0"):
    pad = (-len(info)) % 8
    sect = struct.pack("<II", 1, len(info)) + info + b"\0" * pad
    size = 64 + len(sect)
    hdr = struct.pack("<IHHIIIII36x", 0x57464156, 1, 64, version, size, 0, 1,
                      0)
    img = bytearray(hdr + sect)
    struct.pack_into("<I", img, 16, zlib.crc32(bytes(img)))
    return bytes(img)


def find_cap(q, cap_id):
    ptr = q.cfg_rd(0x34) & 0xff
    while ptr:
        v = q.cfg_rd(ptr)
        if v & 0xff == cap_id:
            return ptr
        ptr = (v >> 8) & 0xff
    return 0


def dma(q, host, dev, length, ctrl):
    q.set("DMA_HOST_LO", host & 0xffffffff)
    q.set("DMA_HOST_HI", host >> 32)
    q.set("DMA_DEV_LO", dev & 0xffffffff)
    q.set("DMA_DEV_HI", dev >> 32)
    q.set("DMA_LEN", length)
    q.set("DMA_CTRL", ctrl)
    return q.poll("DMA_STATUS", 0x01)


def main():
    qemu = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(TOP, "build", "qemu", "qemu-system-x86_64")
    q = Qtest(qemu)

    # PCI identity and BARs
    check(q.cfg_rd(0x00) == 0xd5a019e5, "vendor 19e5 device d5a0")
    check(q.cfg_rd(0x08) == 0x12000001, "class 0x1200, revision 0x01")
    check(q.cfg_rd(0x2c) == 0xd5a019e5, "subsystem 19e5:d5a0")
    sizes = {}
    for bar in (0x10, 0x18, 0x1c, 0x20):
        q.cfg_wr(bar, 0xffffffff)
        sizes[bar] = q.cfg_rd(bar)
    check(sizes[0x10] == 0xfff80000, "BAR0: 512 KiB, 32-bit memory (0x%x)"
          % sizes[0x10])
    check(sizes[0x18] == (~(HBM - 1) & 0xffffffff) | 0xc,
          "BAR2: 64 MiB, 64-bit prefetchable (0x%x)" % sizes[0x18])
    check(sizes[0x1c] == 0xffffffff, "BAR3 is BAR2's upper half")
    check(sizes[0x20] == 0xfffff000, "BAR4: 4 KiB MSI-X (0x%x)" % sizes[0x20])
    check(q.cfg_rd(0x3c) >> 8 & 0xff == 0, "no INTx pin")
    pcie = find_cap(q, 0x10)
    msix = find_cap(q, 0x11)
    check(pcie != 0, "PCIe capability at 0x%x" % pcie)
    check(msix != 0 and (q.cfg_rd(msix) >> 16 & 0x7ff) + 1 == 8,
          "MSI-X capability with 8 vectors")
    check(q.cfg_rd(msix + 4) == 4 and q.cfg_rd(msix + 8) == 0x804,
          "MSI-X table at BAR4+0, PBA at BAR4+0x800")

    q.cfg_wr(0x10, BAR0)
    q.cfg_wr(0x18, BAR2 | 0xc)
    q.cfg_wr(0x1c, 0)
    q.cfg_wr(0x20, BAR4)
    q.cfg_wr(0x04, 0x6)            # memory space + bus master
    # MSI-X: enable, each vector writes 0xa0+v to RAM at MSI_RAM + 4v.
    q.cfg_wr(msix, q.cfg_rd(msix) | 1 << 31)
    for v in range(8):
        base = BAR4 + 16 * v
        q.wr(base, MSI_RAM + 4 * v)
        q.wr(base + 4, 0)
        q.wr(base + 8, 0xa0 + v)
        q.wr(base + 12, 0)

    # Registers
    check(q.reg("MAGIC") == 0x4e435341, "MAGIC through BAR0")
    check(q.reg("VERSION") == 0x10001, "VERSION 1.1")
    check(q.reg("AICORE") == 4, "aicores=4 reported")
    check(q.reg("MSIX_COUNT") == 8, "MSIX_COUNT 8")
    check(q.reg("HBM_LO") == HBM and q.reg("HBM_HI") == 0, "hbm=64M reported")
    soc = b"".join(struct.pack("<I", q.rd(BAR0 + REG["SOC"] + i))
                   for i in range(0, 32, 4))
    check(soc.rstrip(b"\0") == b"TestSoC", "soc=TestSoC reported")
    q.set("SCRATCH", 0xcafef00d)
    check(q.reg("SCRATCH") == 0xcafef00d, "SCRATCH holds a value")

    # DMA before boot
    check(dma(q, BUF_RAM, 0, 64, 1) == 0x81, "DMA before boot: ERR_NOT_BOOTED")
    check(q.mem_rd(MSI_RAM + 4, 4) == b"\xa1\0\0\0",
          "DMA vector 1 delivered as an MSI-X message")

    # Firmware boot
    img = fw_image()
    q.mem_wr(FW_RAM, img)
    q.set("FW_ADDR_LO", FW_RAM)
    q.set("FW_ADDR_HI", 0)
    q.set("FW_SIZE", len(img))
    q.set("FW_CTRL", 1)
    check(q.poll("FW_STATUS", 0x01) == 0x02, "valid image: FW_STATUS RUNNING")
    check(q.reg("FW_VERSION") == 0x010203, "FW_VERSION 1.2.3")
    check(q.reg("STATUS") & 1, "STATUS.FW_RUNNING")
    check(q.mem_rd(MSI_RAM, 4) == b"\xa0\0\0\0", "admin vector 0 delivered")
    check(q.reg("IRQ_STATUS") == 3, "IRQ_STATUS has FW_BOOT and DMA_DONE")
    q.set("IRQ_STATUS", 3)
    check(q.reg("IRQ_STATUS") == 0, "IRQ_STATUS write-1-to-clear")

    # DMA copies
    pattern = bytes((i * 13 + 5) & 0xff for i in range(8192))
    q.mem_wr(BUF_RAM, pattern)
    q.mem_wr(MSI_RAM + 4, b"\0\0\0\0")
    check(dma(q, BUF_RAM, 0x1000, len(pattern), 1) == 0x02, "H2D DONE")
    check(q.mem_rd(BAR2 + 0x1000, len(pattern)) == pattern,
          "H2D data visible through BAR2")
    check(q.mem_rd(MSI_RAM + 4, 4) == b"\xa1\0\0\0", "DMA vector delivered")
    q.mem_wr(BAR2 + 0x20000, b"\x5a" * 100 + b"tail")
    check(dma(q, BUF_RAM + 0x10000, 0x20000, 104, 3) == 0x02, "D2H DONE")
    check(q.mem_rd(BUF_RAM + 0x10000, 104) == b"\x5a" * 100 + b"tail",
          "D2H data in guest RAM")
    check(q.reg("DMA_SEQ") == 3, "DMA_SEQ counts every command (3)")

    # Guest mistakes: error statuses, QEMU stays up
    check(dma(q, BUF_RAM, 0, 0, 1) == 0x83, "length 0: ERR_LEN")
    check(dma(q, BUF_RAM, HBM - 4, 8, 1) == 0x82, "past HBM end: ERR_RANGE")
    check(dma(q, BUF_RAM, 0, 8, 0x81) == 0x85, "reserved CTRL bit: ERR_CTRL")
    check(dma(q, 0xfff000000000, 0, 4096, 1) == 0x84,
          "unassigned host address: ERR_HOST")
    st = dma(q, BAR0, 0, 64, 3)
    check(st in (0x02, 0x84) and q.alive(),
          "DMA into the device's own BAR0 does not re-enter it (0x%x)" % st)
    check(dma(q, BAR2 + 0x1000, 0x1000, 8192, 1) == 0x02 and
          q.mem_rd(BAR2 + 0x1000, len(pattern)) == pattern,
          "DMA from BAR2 onto itself is harmless")
    # qtest goes through address_space_rw, which splits or widens these to
    # 32-bit accesses (a vCPU's would be refused by .valid instead); either
    # way the device must keep working.
    q.cmd("readw 0x%x" % (BAR0 + 2))
    q.cmd("readq 0x%x" % BAR0)
    q.cmd("writeq 0x%x 0x1" % (BAR0 + REG["SCRATCH"]))
    check(q.alive() and q.reg("MAGIC") == 0x4e435341,
          "16-bit, unaligned and 64-bit accesses leave the device working")
    q.cfg_wr(0x04, 0x2)            # bus master off
    check(dma(q, BUF_RAM, 0, 64, 1) == 0x84, "bus mastering off: ERR_HOST")
    q.cfg_wr(0x04, 0x6)
    q.set("FW_CTRL", 1)
    check(q.reg("FW_STATUS") == 0x02, "BOOT while running ignored")

    # Reset
    q.set("RESET", 0x52534554)
    check(q.reg("FW_STATUS") == 0 and q.reg("DMA_SEQ") == 0 and
          q.reg("SCRATCH") == 0, "RESET magic: power-on state")
    bad = bytearray(img)
    bad[-3] ^= 1
    q.mem_wr(FW_RAM, bytes(bad))
    check(q.reg("FW_SIZE") == 0, "RESET cleared FW_SIZE too")
    q.set("FW_ADDR_LO", FW_RAM)
    q.set("FW_SIZE", len(bad))
    q.set("FW_CTRL", 1)
    check(q.poll("FW_STATUS", 0x01) == 0x84, "corrupt image: ERR_CHECKSUM")

    log = q.quit()
    check("ascend-npu" in log and "CRC-32" in log and
          "reserved bits" in log, "guest errors logged with -d guest_errors")
    check("ascend_npu_fw_done status 0x02 fw_version 0x010203 build "
          "'qtest image'" in log and "ascend_npu_dma_start host 0x200000"
          in log, "trace events reach the log")
    print("1..%d" % count)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
