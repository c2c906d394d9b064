//! Yielding to the event loop without the 4 ms clamp of nested `setTimeout`.
//!
//! [`yield_now`] posts a message to itself through a `MessageChannel` and resumes when it
//! arrives: a macrotask that, unlike a nested `setTimeout(0)`, is not clamped to 4 ms, so a
//! benchmark loop can yield often (to see a cancel message) at a cost of microseconds.
//!
//! One channel per global (page or worker) serves every yield, and a yield allocates no
//! JavaScript object but the message event: creating a channel, a promise and a closure per
//! yield, about a thousand times a second during a Server run's waits, fed the garbage
//! collector enough to pause the worker for milliseconds, which the run then counted as
//! queueing delay.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Messages posted and received on the channel, and the tasks waiting for theirs.
#[derive(Default)]
struct Counters {
    posted: u64,
    received: u64,
    wakers: Vec<Waker>,
}

/// The global's channel, its message handler and the counters they share.
struct Channel {
    port: web_sys::MessagePort,
    counters: Rc<RefCell<Counters>>,
    /// Kept alive as long as the channel: it is the port's `onmessage`.
    _on_message: Closure<dyn FnMut()>,
    /// The receiving port (kept alive so messages are delivered).
    _receiver: web_sys::MessagePort,
}

impl Channel {
    fn new() -> Option<Self> {
        let channel = web_sys::MessageChannel::new().ok()?;
        let counters = Rc::new(RefCell::new(Counters::default()));
        let shared = counters.clone();
        let on_message = Closure::<dyn FnMut()>::new(move || {
            let wakers = {
                let mut c = shared.borrow_mut();
                c.received += 1;
                std::mem::take(&mut c.wakers)
            };
            // Each waiter checks its own ticket when polled, and waits again if it is later.
            for w in wakers {
                w.wake();
            }
        });
        let receiver = channel.port1();
        receiver.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Self {
            port: channel.port2(),
            counters,
            _on_message: on_message,
            _receiver: receiver,
        })
    }
}

thread_local! {
    static CHANNEL: Option<Channel> = Channel::new();
}

/// The future of [`yield_now`].
#[derive(Debug)]
pub struct YieldNow {
    /// The message this yield waits for (its number), once posted.
    ticket: Option<u64>,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        CHANNEL.with(|channel| {
            let Some(channel) = channel else {
                return Poll::Ready(()); // no MessageChannel: do not wait at all
            };
            let mut c = channel.counters.borrow_mut();
            let ticket = match self.ticket {
                Some(t) => t,
                None => {
                    if channel
                        .port
                        .post_message(&wasm_bindgen::JsValue::NULL)
                        .is_err()
                    {
                        return Poll::Ready(());
                    }
                    c.posted += 1;
                    self.ticket = Some(c.posted);
                    c.posted
                }
            };
            if c.received >= ticket {
                Poll::Ready(())
            } else {
                c.wakers.push(cx.waker().clone());
                Poll::Pending
            }
        })
    }
}

/// Lets the current global's event loop run queued tasks (a worker's incoming messages, a
/// page's input events), then resumes.
pub fn yield_now() -> YieldNow {
    YieldNow { ticket: None }
}

/// Resumes once the browser has painted the current frame: a `requestAnimationFrame`
/// callback runs just before the paint, and a yield from it resumes after. Work that the
/// first view does not need (reading saved results, measuring the page's timer) waits for
/// this, so the page shows at once. A hidden page paints no frames: it then waits until
/// shown.
pub async fn after_paint() {
    if let Some(window) = web_sys::window() {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window.request_animation_frame(&resolve);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
    yield_now().await;
}
