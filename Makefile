# Makefile - the two entry points of the README; the build itself is CMake.
#
#   make run   installs dependencies, builds, boots the default guest
#              (SeaBIOS -> syslinux -> Debian Linux)
#   make test  installs dependencies, builds, runs the whole test suite
#              (CTest, TAP13 report) in a normal and an ASan+UBSan build
#   make bench runs the benchmarks (results: docs/performance.md)
JOBS ?= 2
BUILD ?= build
ASAN_BUILD ?= build-asan

.PHONY: deps build run test bench

deps:
	./tools/setup.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

run: build
	./$(BUILD)/hvsim -m 512M -no-reboot -drive file=$(BUILD)/guests/images/syslinux.img,format=raw

test: build
	cmake -S . -B $(ASAN_BUILD) -DHVSIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	./tools/run-tests.sh $(BUILD) $(ASAN_BUILD)

bench: build
	./bench/run-bench.sh $(BUILD)
