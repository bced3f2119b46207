// The fuzz build's stand-in for the LibTorch plugin (surrogates/network_torch.cpp): clang 14
// cannot compile LibTorch's headers against GCC 12's standard library, and no fuzz target trains.
// An empty plugin fails to load as a missing one does, with the same error.
