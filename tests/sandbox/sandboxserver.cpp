#include "sandboxserver.h"
