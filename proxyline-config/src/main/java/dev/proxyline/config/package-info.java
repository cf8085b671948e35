/**
 * nginx-style configuration for proxyline: lexer and parser that keep positions ({@link dev.proxyline.config.Directive},
 * {@link dev.proxyline.config.SyntaxTree}), a directive table that checks names, contexts and arity, and a validated,
 * immutable model ({@link dev.proxyline.config.ProxylineConfig}, {@link dev.proxyline.config.StreamConfig},
 * {@link dev.proxyline.config.HttpConfig}).
 *
 * <p>Start at {@link dev.proxyline.config.ConfigLoader#load(java.nio.file.Path)}. Nothing here resolves host names,
 * opens sockets or throws for bad input; every problem is a {@link dev.proxyline.config.ConfigError} with
 * {@code file:line:column}.
 */
package dev.proxyline.config;
