#include "sandboxseed.h"
