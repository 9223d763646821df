/* ProcessPrng for Wine 8 (Debian 12), whose bcryptprimitives.dll lacks it while Rust's
 * standard library calls it on Windows for random numbers (HashMap seeds): the same
 * bytes from RtlGenRandom (SystemFunction036), which Wine has. Built by
 * `cargo xtask setup` with mingw for the Windows leg of the tests only. */
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
