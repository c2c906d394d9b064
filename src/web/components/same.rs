//! [`Same`]: a shared value compared by identity. A result of a million queries (and its
//! sorted samples, its charts' data) is put in an `Rc` once, when the page's state shows it,
//! and replaced by a new `Rc` only when another result is shown; comparing it value by value
//! on every render (as `Rc`'s `PartialEq` does, for a type with floats) cost the page's main
//! thread a long task at each message from the worker.

use std::rc::Rc;

/// `Rc<T>` compared by pointer: equal when it is the same allocation.
#[derive(Debug)]
pub struct Same<T>(pub Rc<T>);

impl<T> Clone for Same<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> PartialEq for Same<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Whether `a` and `b` are the same allocation.
pub fn same<T>(a: &Rc<T>, b: &Rc<T>) -> bool {
    Rc::ptr_eq(a, b)
}
