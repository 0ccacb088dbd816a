#include "logging.h"

Q_LOGGING_CATEGORY(lcApp, "lightfield.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNet, "lightfield.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCache, "lightfield.cache", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOutbox, "lightfield.outbox", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSync, "lightfield.sync", QtInfoMsg)
Q_LOGGING_CATEGORY(lcModels, "lightfield.models", QtInfoMsg)
Q_LOGGING_CATEGORY(lcForms, "lightfield.forms", QtInfoMsg)
