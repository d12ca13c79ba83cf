// Re-exports the HTTP layer: problem details, error mapping, middleware, and the verifier app.
export * from './problem';
export * from './error-handler';
export * from './json-response';
export * from './request-body';
export * from './middleware/body-limit';
export * from './middleware/client-address';
export * from './middleware/cors';
export * from './middleware/method-not-allowed';
export * from './middleware/rate-limit';
export * from './verify-request';
export * from './vc-api-result';
export * from './page-routes';
export * from './verifier-app';
export * from './listen';
