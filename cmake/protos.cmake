# parley_proto_library(NAME ROOT <dir> PROTOS <files relative to ROOT> [GRPC] [DEPS <targets>])
# Generates C++ (and, with GRPC, the gRPC stubs) for .proto files into the
# build tree, keeping import paths as written in the sources.
set(PARLEY_PROTO_GEN_DIR "${CMAKE_BINARY_DIR}/gen")
set(PARLEY_GOOGLEAPIS_DIR "/usr/share/gocode/src/github.com/gogo/googleapis")
get_target_property(PARLEY_GRPC_CPP_PLUGIN gRPC::grpc_cpp_plugin LOCATION)

function(parley_proto_library name)
  cmake_parse_arguments(ARG "GRPC" "ROOT" "PROTOS;DEPS" ${ARGN})
  set(srcs)
  foreach(proto ${ARG_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" base "${proto}")
    set(outs "${PARLEY_PROTO_GEN_DIR}/${base}.pb.cc" "${PARLEY_PROTO_GEN_DIR}/${base}.pb.h")
    set(plugin_args)
    if(ARG_GRPC)
      list(APPEND outs "${PARLEY_PROTO_GEN_DIR}/${base}.grpc.pb.cc" "${PARLEY_PROTO_GEN_DIR}/${base}.grpc.pb.h")
      set(plugin_args --grpc_out=${PARLEY_PROTO_GEN_DIR} --plugin=protoc-gen-grpc=${PARLEY_GRPC_CPP_PLUGIN})
    endif()
    add_custom_command(
      OUTPUT ${outs}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PARLEY_PROTO_GEN_DIR}
      COMMAND protobuf::protoc
        -I ${ARG_ROOT} -I ${CMAKE_SOURCE_DIR}/protos -I ${PARLEY_GOOGLEAPIS_DIR}
        --cpp_out=${PARLEY_PROTO_GEN_DIR} ${plugin_args}
        ${ARG_ROOT}/${proto}
      DEPENDS ${ARG_ROOT}/${proto} protobuf::protoc
      COMMENT "protoc ${proto}"
      VERBATIM)
    list(FILTER outs INCLUDE REGEX "\\.cc$")
    list(APPEND srcs ${outs})
  endforeach()
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${PARLEY_PROTO_GEN_DIR})
  target_link_libraries(${name} PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  if(ARG_GRPC)
    target_link_libraries(${name} PUBLIC gRPC::grpc++)
  endif()
endfunction()
