// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace agentbay::protocol::FreedMemory {

// A run with a large output leaves megabytes freed behind it that glibc keeps in the heap (and
// it raises its mmap threshold after large frees, so the next large buffers stay there too):
// without this, a process stays at its peak after one flood. Hands the free pages back to the
// system once no call came for `delayMs` (a later call restarts the wait), on the calling
// thread's event loop. Elsewhere than glibc it does nothing.
void releaseSoon(int delayMs = 2000);
// The same, now.
void releaseNow();

// Called first thing in main(): buffers of a megabyte or more get pages of their own, given
// back when they are freed (glibc otherwise raises this threshold after each large free, up to
// 32 MiB, and a worker thread's heap keeps its freed top, which malloc_trim does not touch), and
// a heap gives back a free top larger than 8 MiB at once.
void configure();

// What counts as a large output for the callers: past this many characters.
constexpr long long LargeOutputCharacters = 1024 * 1024;

} // namespace agentbay::protocol::FreedMemory
