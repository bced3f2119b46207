// The OpenGL 3.3 core functions, declared by the system's headers and resolved by libGL (GLVND
// exports every core entry point). Included only by the viewer's drawing files.
#pragma once
#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>
