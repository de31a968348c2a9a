//! The process-wide allocator: mimalloc, asked for alignment only when it has to be.
//!
//! The `mimalloc` crate sends every request through `mi_malloc_aligned`, even for the 8-byte
//! alignment every mimalloc block already has. mimalloc 3 serves such a request from a size
//! class only while that class's page has a free block; otherwise it falls back to
//! over-allocating `size + align - 1` for any size that is not a power of two. Lua objects are
//! mostly such sizes (24, 40, 56 bytes, strings of any length), so most of a new process's heap
//! went the slow way, one size class up. Here a request whose alignment mimalloc gives anyway
//! (at most a word, as every block starts at a word boundary) goes to plain `mi_malloc`.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// `#[global_allocator]` of the `wippy` binary.
pub struct Allocator;

/// Every mimalloc block is aligned to at least a machine word.
const WORD: usize = std::mem::size_of::<usize>();

#[inline]
fn plain(layout: &Layout) -> bool {
    layout.align() <= WORD
}

// SAFETY: each method forwards to the mimalloc call with the same contract; `plain` requests get
// word alignment, which is all they ask for, and the rest keep the aligned calls.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            (unsafe { mi::mi_malloc(layout.size()) }) as *mut u8
        } else {
            (unsafe { mi::mi_malloc_aligned(layout.size(), layout.align()) }) as *mut u8
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            (unsafe { mi::mi_zalloc(layout.size()) }) as *mut u8
        } else {
            (unsafe { mi::mi_zalloc_aligned(layout.size(), layout.align()) }) as *mut u8
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { mi::mi_free(ptr as *mut c_void) };
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if plain(&layout) {
            (unsafe { mi::mi_realloc(ptr as *mut c_void, new_size) }) as *mut u8
        } else {
            (unsafe { mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) }) as *mut u8
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every size a Lua heap asks for, at every alignment up to a page, comes back aligned.
    #[test]
    fn every_request_is_aligned_as_asked() {
        let a = Allocator;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (1..=200).chain([1000, 4095, 70_000]) {
                let layout = Layout::from_size_align(size, align).unwrap();
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "alloc({size}, {align})");
                    let q = a.realloc(p, layout, size * 3);
                    assert_eq!(q as usize % align, 0, "realloc({size}, {align})");
                    a.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
                    let z = a.alloc_zeroed(layout);
                    assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
