//! The inference hot path never allocates: a counting global allocator for this test binary.
//!
//! The allocator forwards to the system allocator and counts allocations per thread (a
//! `const` thread-local `Cell`, which itself never allocates), so tests running in parallel
//! do not disturb each other's counts. It is the only `#[global_allocator]` of the `native`
//! test binary.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use inferbench::model::variant::build;
use inferbench::model::{Mlp, Variant, NUM_CLASSES};

use super::model_train::default_split;

struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counter is a thread-local `Cell` that is only incremented.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn inference_calls_do_not_allocate() {
    let test = &default_split().test;
    let model = Mlp::initialised(&[64, 300, 37, 10], 9).expect("valid sizes");
    let mut logits = vec![0.0; test.len() * NUM_CLASSES];
    let mut predictions = vec![0u8; test.len()];
    for variant in Variant::ALL {
        let mut classifier = build(variant, &model);
        let before = allocations();
        for n in [1, 8, 64, 100, test.len()] {
            let inputs = &test.inputs()[..n * 64];
            classifier.predict_batch(inputs, &mut predictions[..n]);
            classifier.logits_batch(inputs, &mut logits[..n * NUM_CLASSES]);
        }
        assert_eq!(allocations() - before, 0, "{variant} allocated");
    }
    // The counter does count: building a variant allocates.
    let before = allocations();
    drop(build(Variant::F32Fast, &model));
    assert!(allocations() > before);
}
