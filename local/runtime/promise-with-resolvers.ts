/**
 * aws-local-stepfunctions 3.0.0 calls `Promise.withResolvers` (a Node 22 API) inside every Task.
 * On Node 20 each Task would fail with a catchable TypeError that a Catch silently turns into the
 * failure path, so the local runner (and the tests) load this polyfill before the interpreter.
 */
interface PromiseWithResolversShape<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const promiseConstructor = Promise as unknown as {
  withResolvers?: <T>() => PromiseWithResolversShape<T>;
};

if (typeof promiseConstructor.withResolvers !== 'function') {
  promiseConstructor.withResolvers = <T>(): PromiseWithResolversShape<T> => {
    let resolve!: PromiseWithResolversShape<T>['resolve'];
    let reject!: PromiseWithResolversShape<T>['reject'];
    const promise = new Promise<T>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    return { promise, resolve, reject };
  };
}
