#pragma once

#include <QString>

/**
 * SOCIAL_HANDLE values and web addresses as the user types them, made into what the API takes.
 * One implementation for every way in: the form's editors and the command line (`edit`,
 * `create`) accept and refuse the same text and write the same URL.
 *
 * The API documents a SOCIAL_HANDLE value as the profile URL of the definition's
 * `handleService`: TWITTER → https://x.com/<handle>, LINKEDIN → https://linkedin.com/in/<handle>
 * (or /company/<name>), FACEBOOK → https://facebook.com/<handle>, INSTAGRAM →
 * https://instagram.com/<handle>. Pure functions; errors are complete, translatable sentences.
 */
namespace SocialHandle {

/**
 * A web address as typed → the http(s) URL to store ("example.com" → "https://example.com").
 * Empty, with `*error` set, for anything else (another scheme, no host, spaces).
 */
QString normaliseUrl(const QString &text, QString *error);

/**
 * The profile URL for `input` — a handle ("ana", "@ana", "company/acme" for LinkedIn) or a
 * profile URL of that service, any accepted host ("twitter.com", "www.linkedin.com") — on
 * `service` ("TWITTER", …, any case). Without a known service any http(s) URL is taken
 * (normaliseUrl()). Empty with `*error` set when the input is neither.
 */
QString profileUrl(const QString &service, const QString &input, QString *error);

/** True for the services the API documents (TWITTER, LINKEDIN, FACEBOOK, INSTAGRAM; any case). */
bool isKnownService(const QString &service);

/** The handle part of a profile URL of `service` ("https://x.com/ana" → "ana"), or `url`. */
QString handleOf(const QString &service, const QString &url);

} // namespace SocialHandle
