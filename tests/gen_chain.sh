#!/bin/bash
# An SBML model of a linear chain A1 -> A2 -> ... -> AN, every step at rate k A_i
# (k = 1, one compartment of size 1, A1(0) = 1). Closed form: for n < N,
# A_n(t) = exp(-t) t^(n-1) / (n-1)!, and A_N = 1 - the others. Its Jacobian has
# 2N - 1 nonzeros: the sparse per-member Jacobian's test and benchmark model.
# usage: gen_chain.sh N > chain.xml
n=${1:?usage: gen_chain.sh N}
awk -v n="$n" 'BEGIN {
  print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
  print "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">"
  printf "  <model id=\"chain%d\">\n", n
  print "    <listOfCompartments><compartment id=\"c\" spatialDimensions=\"3\" size=\"1\" constant=\"true\"/></listOfCompartments>"
  print "    <listOfSpecies>"
  for (i = 1; i <= n; i++)
    printf "      <species id=\"A%d\" compartment=\"c\" initialConcentration=\"%d\" hasOnlySubstanceUnits=\"false\" boundaryCondition=\"false\" constant=\"false\"/>\n", i, i == 1
  print "    </listOfSpecies>"
  print "    <listOfParameters><parameter id=\"k\" value=\"1\" constant=\"true\"/></listOfParameters>"
  print "    <listOfReactions>"
  for (i = 1; i < n; i++) {
    printf "      <reaction id=\"R%d\" reversible=\"false\">\n", i
    printf "        <listOfReactants><speciesReference species=\"A%d\" stoichiometry=\"1\" constant=\"true\"/></listOfReactants>\n", i
    printf "        <listOfProducts><speciesReference species=\"A%d\" stoichiometry=\"1\" constant=\"true\"/></listOfProducts>\n", i + 1
    printf "        <kineticLaw><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><apply><times/><ci>k</ci><ci>A%d</ci></apply></math></kineticLaw>\n", i
    print "      </reaction>"
  }
  print "    </listOfReactions>"
  print "  </model>"
  print "</sbml>"
}'
