/* A deck's text checked before PETSc reads it, so that each mistake is one line
   naming the file (and the line): a directory, an empty or binary file, YAML
   that does not parse, a key given twice in one mapping (PETSc would keep one
   silently). PETSc's own YAML reader names neither file nor line. */
#include <string.h>
#include <yaml.h>
#include "gepdeck.h"
#include "gepsys.h"

/* One mapping or sequence being read: a mapping alternates keys and values and
   remembers its keys (their lines too) to refuse a key given twice. */
typedef struct {
  PetscBool mapping, want_key;
  char    **keys;
  size_t   *lines;
  PetscInt  nkeys, cap;
} Frame;

static PetscErrorCode FramePush(Frame **stack, PetscInt *depth, PetscInt *cap, PetscBool mapping)
{
  PetscFunctionBegin;
  if (*depth == *cap) {
    *cap = 2 * *cap + 8;
    PetscCall(PetscRealloc(*cap * sizeof(Frame), stack));
  }
  PetscCall(PetscMemzero(&(*stack)[*depth], sizeof(Frame)));
  (*stack)[*depth].mapping  = mapping;
  (*stack)[*depth].want_key = PETSC_TRUE;
  (*depth)++;
  PetscFunctionReturn(0);
}

static PetscErrorCode FramePop(Frame *stack, PetscInt *depth)
{
  Frame *f = &stack[--(*depth)];

  PetscFunctionBegin;
  for (PetscInt i = 0; i < f->nkeys; i++) PetscCall(PetscFree(f->keys[i]));
  PetscCall(PetscFree(f->keys));
  PetscCall(PetscFree(f->lines));
  PetscFunctionReturn(0);
}

/* a scalar, a mapping or a sequence has started inside the top frame: a key or a value */
static PetscErrorCode FrameItem(const char path[], Frame *top, const char *key, size_t line)
{
  PetscFunctionBegin;
  if (!top || !top->mapping) PetscFunctionReturn(0);
  if (top->want_key && key) {
    for (PetscInt i = 0; i < top->nkeys; i++) {
      PetscBool same;
      PetscCall(PetscStrcmp(top->keys[i], key, &same));
      PetscCheck(!same, PETSC_COMM_SELF, PETSC_ERR_USER, "deck %s:%zu: key '%s' given twice (first on line %zu)", path,
                 line, key, top->lines[i]);
    }
    if (top->nkeys == top->cap) {
      top->cap = 2 * top->cap + 8;
      PetscCall(PetscRealloc(top->cap * sizeof(char *), &top->keys));
      PetscCall(PetscRealloc(top->cap * sizeof(size_t), &top->lines));
    }
    PetscCall(PetscStrallocpy(key, &top->keys[top->nkeys]));
    top->lines[top->nkeys++] = line;
  }
  top->want_key = (PetscBool)!top->want_key;
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckYAML(const char path[], const char text[], size_t n)
{
  yaml_parser_t  parser;
  yaml_event_t   event;
  int            done         = 0;
  size_t         line         = 0;
  char           problem[256] = "";
  Frame         *stack        = NULL;
  PetscInt       depth = 0, cap = 0;
  PetscErrorCode ierr = 0;

  PetscFunctionBegin;
  PetscCheck(yaml_parser_initialize(&parser), PETSC_COMM_SELF, PETSC_ERR_LIB, "libyaml: yaml_parser_initialize failed");
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, n);
  while (!done && !ierr) {
    Frame *top;
    if (!yaml_parser_parse(&parser, &event)) {
      line = parser.problem_mark.line + 1;
      (void)PetscStrncpy(problem, parser.problem ? parser.problem : "syntax error", sizeof(problem));
      break;
    }
    top = depth ? &stack[depth - 1] : NULL;
    switch (event.type) {
    case YAML_SCALAR_EVENT:
      ierr = FrameItem(path, top, (const char *)event.data.scalar.value, event.start_mark.line + 1);
      break;
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
      ierr = FrameItem(path, top, NULL, 0);
      if (!ierr) ierr = FramePush(&stack, &depth, &cap, (PetscBool)(event.type == YAML_MAPPING_START_EVENT));
      break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT: ierr = FramePop(stack, &depth); break;
    default: break;
    }
    done = event.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  while (depth) PetscCall(FramePop(stack, &depth));
  PetscCall(PetscFree(stack));
  PetscCall(ierr);
  PetscCheck(!problem[0], PETSC_COMM_SELF, PETSC_ERR_USER, "deck %s:%zu: YAML: %s", path, line, problem);
  PetscFunctionReturn(0);
}

PetscErrorCode GepDeckCheckText(const char path[], const char text[], size_t n, PetscBool yaml)
{
  const char *nul  = memchr(text, 0, n);
  size_t      line = 1;

  PetscFunctionBegin;
  PetscCheck(n > 0, PETSC_COMM_SELF, PETSC_ERR_USER, "deck %s: the file is empty", path);
  if (nul) {
    for (const char *c = text; c < nul; c++) line += *c == '\n';
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER, "deck %s:%zu: not a text file (a NUL byte)", path, line);
  }
  if (yaml) PetscCall(CheckYAML(path, text, n));
  PetscFunctionReturn(0);
}
